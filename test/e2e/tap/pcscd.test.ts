import { expect } from 'chai';
import { PcscReaderProvider } from '../../../shared/readers/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { missingPcscPieces, skipOrFailWhenMissing, usePcscd, type PcscdLease } from '../../support/pcscd.js';
import { serveCardOnVpcd, type ServedCard } from '../../support/vpcd-card.js';
import { spawnCli } from '../../support/platform-process.js';
import { tapEnvironment, type TapEnvironment } from '../../integration/auth/tap-fixture.js';
import { enrol, issueThroughRelay, startAgent } from './agent-fixture.js';

/** JSON lines a child `tessera agent --json` printed, and a way to wait for the next of a kind. */
function agentOutput(child: ReturnType<typeof spawnCli>) {
  const seen: Record<string, any>[] = [];
  let consumed = 0;
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) seen.push(JSON.parse(line));
  });
  return {
    seen,
    async next(kind: string, timeoutMs = 60_000): Promise<Record<string, any>> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const index = seen.findIndex((e, i) => i >= consumed && e.kind === kind);
        if (index >= 0) {
          consumed = index + 1;
          return seen[index]!;
        }
        if (Date.now() > until) throw new Error(`no ${kind} from the agent within ${timeoutMs} ms; saw ${JSON.stringify(seen)}; stderr: ${child.output.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/**
 * End to end through real pcscd: a blank simulated card served on a vpcd slot is issued by the
 * platform through a desk agent's relay over PC/SC, then `tessera agent` (a child process, on
 * the same virtual reader) taps it, sees it removed, and taps it again when it comes back.
 */
describe('e2e: issue a card and tap it through pcscd (reader agent on a virtual reader)', function () {
  this.timeout(300_000);
  let pcscd: PcscdLease | undefined;
  let served: ServedCard | undefined;
  let db: TestDatabase;
  let env: TapEnvironment | undefined;
  let child: ReturnType<typeof spawnCli> | undefined;

  before(async function () {
    skipOrFailWhenMissing(this, await missingPcscPieces());
    pcscd = await usePcscd();
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db });
    served = await serveCardOnVpcd({ alg: 'p256', provision: false });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await served?.close();
    await env?.close();
    await pcscd?.release();
  });

  it('issues the blank card in the virtual reader through the desk agent (PC/SC relay)', async () => {
    const desk = await env!.newReader({ kind: 'desk' });
    const deskName = (await db.knex('readers').where({ id: desk.id }).first()).name as string;
    const provider = new PcscReaderProvider();
    const { agent, log } = startAgent({ provider, reader: served!.reader, baseUrl: desk.baseUrl, credential: desk.credential, role: 'desk' });
    try {
      await agent.start();
      const holder = await enrol(db.knex, 'Alan', 'Turing');
      const issued = await issueThroughRelay(env!.p.t.platform.ctx, deskName, holder.id, { pin: '246810', algorithm: 'p256' });
      expect(issued.card).to.include({ cardholderId: holder.id, status: 'active' });
      expect(log.events.some((e) => e.kind === 'relay' && e.open)).to.equal(true);
    } finally {
      await agent.stop();
      await provider.close();
    }
  });

  it('taps it with `tessera agent` on the same reader, reacts to removal, and taps again on re-insertion', async () => {
    const kiosk = await env!.newReader({ kind: 'kiosk' });
    child = spawnCli(['agent', '--reader', served!.reader, '--role', 'kiosk', '--platform', kiosk.baseUrl, '--json'], { TESSERA_READER_CREDENTIAL: kiosk.credential });
    const output = agentOutput(child);
    await output.next('ready', 120_000);
    // The card is already in the reader: PC/SC reports it at start, and the agent taps.
    const first = await output.next('decision');
    expect(first.decision).to.include({ decision: 'granted', reason: 'ok', purpose: 'identity.verify', assurance: 'card' });
    expect(first.decision.cardholder).to.include({ name: 'Alan Turing' });
    await served!.remove();
    await output.next('removed');
    await served!.insert();
    const second = await output.next('decision');
    expect(second.decision.decision).to.equal('granted');
    const taps = await db.knex('taps').where({ reader_id: kiosk.id, decision: 'granted' });
    expect(taps).to.have.length(2);
  });
});
