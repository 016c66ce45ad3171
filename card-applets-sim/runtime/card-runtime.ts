/**
 * ISO 7816-4 card runtime: applet registry, SELECT by AID, command chaining (CLA bit 0x10,
 * §5.1.1.1), GET RESPONSE (§7.6.1) and power/reset handling. transmit() never throws: a broken
 * command, or a bug in an applet, becomes a status word.
 */
import { tryParseCommandApdu, encodeResponseApdu, statusOnly, SW, type CommandApdu } from '../../shared/apdu/index.js';
import { concatBytes } from '../../shared/tlv/index.js';
import type { Applet, AppletResponse } from './applet.js';
import { PendingResponse } from './pending-response.js';

const CLA_LAST_OR_ONLY = 0x00;
const CLA_CHAIN_MORE = 0x10;
const INS_SELECT = 0xa4;
const INS_GET_RESPONSE = 0xc0;
const SELECT_BY_DF_NAME = 0x04;
const SELECT_P2_FIRST_FCI = 0x00;
const SELECT_P2_FCP = 0x04;
const SELECT_P2_NO_DATA = 0x0c;
/** P1 values that select by file identifier or path: valid, but this card has no files. */
const FILE_SELECTION_P1 = new Set([0x00, 0x01, 0x02, 0x03, 0x08, 0x09]);
const MIN_SELECT_AID_LENGTH = 5;
/** Largest command the card accepts through chaining (a gzip'd certificate is far smaller). */
export const MAX_CHAINED_COMMAND = 16 * 1024;

interface ChainBuffer {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly parts: Uint8Array[];
  size: number;
}

export class CardRuntime {
  private readonly applets: readonly Applet[];
  private current: Applet | null = null;
  private chain: ChainBuffer | null = null;
  private readonly pending = new PendingResponse();

  constructor(applets: readonly Applet[]) {
    this.applets = applets;
  }

  get selectedApplet(): Applet | null {
    return this.current;
  }

  /** Power off, power on and warm reset all land here: every volatile state goes (digest G13). */
  reset(): void {
    this.current = null;
    this.chain = null;
    this.pending.clear();
    for (const applet of this.applets) applet.powerReset();
  }

  transmit(bytes: Uint8Array): Uint8Array {
    try {
      return this.dispatch(bytes);
    } catch {
      this.chain = null;
      this.pending.clear();
      return statusOnly(SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  private dispatch(bytes: Uint8Array): Uint8Array {
    const parsed = tryParseCommandApdu(bytes);
    if (!parsed) return this.abort(SW.WRONG_LENGTH);
    if (parsed.cla !== CLA_LAST_OR_ONLY && parsed.cla !== CLA_CHAIN_MORE) return this.abort(SW.CLA_NOT_SUPPORTED);

    const chain = this.chain;
    if (chain && (chain.ins !== parsed.ins || chain.p1 !== parsed.p1 || chain.p2 !== parsed.p2)) return this.abort(SW.CHAINING_ERROR);
    if (parsed.cla === CLA_CHAIN_MORE) return this.appendToChain(parsed);

    let command = parsed;
    if (chain) {
      this.chain = null;
      command = { ...parsed, data: concatBytes(...chain.parts, parsed.data) };
      if (command.data.length > MAX_CHAINED_COMMAND) return this.abort(SW.NOT_ENOUGH_MEMORY);
    }

    if (command.ins === INS_GET_RESPONSE) {
      if (command.p1 !== 0 || command.p2 !== 0) return this.abort(SW.INCORRECT_P1P2);
      return this.pending.next(command.ne);
    }
    // Any command but GET RESPONSE discards a pending response (digest §5).
    this.pending.clear();
    const response = command.ins === INS_SELECT ? this.select(command) : this.processInApplet(command);
    return this.pending.start(response.data ?? new Uint8Array(0), response.sw, command.ne);
  }

  private abort(sw: number): Uint8Array {
    this.chain = null;
    this.pending.clear();
    return statusOnly(sw);
  }

  private appendToChain(command: CommandApdu): Uint8Array {
    if (command.ins === INS_GET_RESPONSE) return this.abort(SW.CHAINING_ERROR);
    this.pending.clear();
    const chain = this.chain ?? { ins: command.ins, p1: command.p1, p2: command.p2, parts: [], size: 0 };
    chain.parts.push(command.data);
    chain.size += command.data.length;
    if (chain.size > MAX_CHAINED_COMMAND) return this.abort(SW.NOT_ENOUGH_MEMORY);
    this.chain = chain;
    return encodeResponseApdu(new Uint8Array(0), SW.OK);
  }

  private processInApplet(command: CommandApdu): AppletResponse {
    if (!this.current) return { sw: SW.INS_NOT_SUPPORTED };
    return this.current.process(command);
  }

  /** SELECT (ISO 7816-4 §11.2.2; SP 800-73-4 Part 2 §3.1.1). Unknown AIDs change nothing (G3). */
  private select(command: CommandApdu): AppletResponse {
    if (command.p1 !== SELECT_BY_DF_NAME) {
      return { sw: FILE_SELECTION_P1.has(command.p1) ? SW.FILE_NOT_FOUND : SW.INCORRECT_P1P2 };
    }
    if (command.p2 !== SELECT_P2_FIRST_FCI && command.p2 !== SELECT_P2_FCP && command.p2 !== SELECT_P2_NO_DATA) {
      return { sw: SW.INCORRECT_P1P2 };
    }
    const target = this.findApplet(command.data);
    if (!target) return { sw: SW.FILE_NOT_FOUND };
    const reselect = target === this.current;
    if (!reselect) this.current?.deselect();
    this.current = target;
    const answer = target.select(reselect);
    return command.p2 === SELECT_P2_NO_DATA ? { sw: answer.sw } : answer;
  }

  private findApplet(aid: Uint8Array): Applet | undefined {
    if (aid.length < MIN_SELECT_AID_LENGTH) return undefined;
    return this.applets.find((applet) => aid.length <= applet.aid.length && aid.every((b, i) => applet.aid[i] === b));
  }
}
