import { expect } from 'chai';
import { factoryState, MemoryCardStore, SimulatedCard } from '../../../card-applets-sim/index.js';
import type { TapModule } from '../../../shared/modules/index.js';
import { SimulatedReaderProvider } from '../../../shared/readers/index.js';
import { fixedPin, type PinSource } from '../../../services/reader-agent/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from '../../integration/auth/tap-fixture.js';
import { enrol, issueThroughRelay, startAgent } from './agent-fixture.js';

const PIN = '246810';
const vault: TapModule = {
  name: 'vault',
  purposes: { 'vault.open': { description: 'needs the PIN', minimumAssurance: 'card+pin', display: ['name'] } },
  decide: async () => ({ decision: 'granted' }),
};

/**
 * End to end with the in-process simulated card: a blank card in a desk reader is issued by
 * the issuance service through the desk agent's relay, then the reader agent taps with it at
 * a kiosk (9E) and at a PIN reader (9A), and reacts to the card leaving mid-tap.
 */
describe('e2e: issue a card through a relayed desk and tap it with the reader agent (in-process card)', function () {
  this.timeout(240_000);
  let db: TestDatabase;
  let env: TapEnvironment;
  const card = new SimulatedCard(new MemoryCardStore(factoryState({ alg: 'p256' })));
  const stop: (() => Promise<void>)[] = [];

  before(async () => {
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db, modules: [vault] });
  });
  after(async () => {
    for (const fn of stop.reverse()) await fn();
    await env.close();
  });

  it('issues the card on the desk agent\'s reader, the platform driving it APDU by APDU', async () => {
    const desk = await env.newReader({ kind: 'desk', name: `e2e-desk-${Date.now()}` });
    const deskName = (await db.knex('readers').where({ id: desk.id }).first()).name as string;
    const provider = new SimulatedReaderProvider(['Desk reader']);
    provider.insert('Desk reader', card);
    const { agent, log } = startAgent({ provider, reader: 'Desk reader', baseUrl: desk.baseUrl, credential: desk.credential, role: 'desk' });
    stop.push(() => agent.stop());
    await agent.start();
    const holder = await enrol(db.knex, 'Mary', 'Seacole');
    const issued = await issueThroughRelay(env.p.t.platform.ctx, deskName, holder.id, { pin: PIN, algorithm: 'p256' });
    expect(issued.card).to.include({ cardholderId: holder.id, status: 'active' });
    expect(log.events.filter((e) => e.kind === 'relay').map((e) => (e as { open: boolean }).open)).to.deep.equal([true, false]);
    provider.remove('Desk reader');
  });

  it('taps the issued card at a kiosk: granted, with the cardholder, through 9E', async () => {
    const kiosk = await env.newReader({ kind: 'kiosk' });
    const provider = new SimulatedReaderProvider(['Kiosk reader']);
    const { agent, log } = startAgent({ provider, reader: 'Kiosk reader', baseUrl: kiosk.baseUrl, credential: kiosk.credential, role: 'kiosk' });
    stop.push(() => agent.stop());
    await agent.start();
    const decided = log.next('decision');
    provider.insert('Kiosk reader', card);
    const { decision } = await decided;
    expect(decision).to.include({ decision: 'granted', reason: 'ok', purpose: 'identity.verify', assurance: 'card' });
    expect(decision.cardholder).to.include({ name: 'Mary Seacole' });
    provider.remove('Kiosk reader');
    // Every insertion is one tap.
    const again = log.next('decision');
    provider.insert('Kiosk reader', card);
    expect((await again).decision.decision).to.equal('granted');
    provider.remove('Kiosk reader');
  });

  it('asks for the PIN where the purpose needs card+pin, and signs with 9A', async () => {
    const door = await env.newReader({ kind: 'door', module: 'vault' });
    const provider = new SimulatedReaderProvider(['PIN reader']);
    const { agent, log } = startAgent({ provider, reader: 'PIN reader', baseUrl: door.baseUrl, credential: door.credential, role: 'door', purpose: 'vault.open', pins: fixedPin(PIN) });
    stop.push(() => agent.stop());
    await agent.start();
    const decided = log.next('decision');
    provider.insert('PIN reader', card);
    expect((await decided).decision).to.include({ decision: 'granted', assurance: 'card+pin' });
    provider.remove('PIN reader');
  });

  it('reacts to the card leaving mid-tap: no decision, and the challenge stays unanswered', async () => {
    const door = await env.newReader({ kind: 'door', module: 'vault' });
    const provider = new SimulatedReaderProvider(['Slow PIN pad']);
    let asked!: () => void;
    const pinAsked = new Promise<void>((resolve) => (asked = resolve));
    // A cardholder who walks away while the PIN pad waits.
    const walksAway: PinSource = { pin: ({ signal }) => (asked(), new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))) };
    const { agent, log } = startAgent({ provider, reader: 'Slow PIN pad', baseUrl: door.baseUrl, credential: door.credential, role: 'door', purpose: 'vault.open', pins: walksAway });
    stop.push(() => agent.stop());
    await agent.start();
    provider.insert('Slow PIN pad', card);
    await pinAsked;
    const removed = log.next('removed');
    provider.remove('Slow PIN pad');
    expect((await removed).duringTap).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.events.some((e) => e.kind === 'decision' || e.kind === 'error')).to.equal(false);
    const open = await db.knex('taps').where({ reader_id: door.id });
    expect(open.map((t) => t.consumed_at)).to.deep.equal([null]);
  });
});
