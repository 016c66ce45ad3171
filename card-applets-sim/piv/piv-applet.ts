/** The PIV card application (SP 800-73-4 Part 2) plus the YubiKey extensions libykpiv uses. */
import { SW, type CommandApdu } from '../../shared/apdu/index.js';
import { concatBytes, encodeTlv } from '../../shared/tlv/index.js';
import type { Applet, AppletResponse } from '../runtime/applet.js';
import type { CardStore } from '../store/card-store.js';
import { getData, putData } from './data-commands.js';
import { generalAuthenticate } from './general-authenticate.js';
import { generateKeyPair } from './generate-command.js';
import { changeReferenceData, resetRetryCounter, verify } from './pin-commands.js';
import { ALG, INS, PIV_AID } from './piv-constants.js';
import { PivContext } from './piv-context.js';
import { SecurityState } from './security-state.js';
import { getSerial, getVersion, resetApplet, setManagementKey, setPinRetries } from './yubikey-commands.js';

const APPLICATION_LABEL = new TextEncoder().encode('Tessera simulated PIV');

/** Application property template (Part 2 §3.1.1): PIX, coexistent tag allocation authority, algorithms. */
function applicationPropertyTemplate(): Uint8Array {
  const algorithms = [ALG.TDEA_3KEY, ALG.AES_128, ALG.AES_192, ALG.AES_256, ALG.RSA_2048, ALG.ECC_P256].map((id) => encodeTlv(0x80, Uint8Array.of(id)));
  return encodeTlv(
    0x61,
    concatBytes(
      encodeTlv(0x4f, PIV_AID.subarray(5)),
      encodeTlv(0x79, encodeTlv(0x4f, PIV_AID.subarray(0, 5))),
      encodeTlv(0x50, APPLICATION_LABEL),
      encodeTlv(0xac, concatBytes(...algorithms, encodeTlv(0x06, Uint8Array.of(0x00)))),
    ),
  );
}

type Handler = (ctx: PivContext, command: CommandApdu) => AppletResponse;

const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [INS.GET_DATA, getData],
  [INS.PUT_DATA, putData],
  [INS.VERIFY, verify],
  [INS.CHANGE_REFERENCE_DATA, changeReferenceData],
  [INS.RESET_RETRY_COUNTER, resetRetryCounter],
  [INS.GENERATE_ASYMMETRIC_KEY_PAIR, generateKeyPair],
  [INS.GENERAL_AUTHENTICATE, generalAuthenticate],
  [INS.GET_VERSION, (ctx) => getVersion(ctx)],
  [INS.GET_SERIAL, (ctx) => getSerial(ctx)],
  [INS.SET_MANAGEMENT_KEY, setManagementKey],
  [INS.RESET, (ctx) => resetApplet(ctx)],
  [INS.SET_PIN_RETRIES, setPinRetries],
]);

export class PivApplet implements Applet {
  readonly aid = PIV_AID;
  private readonly security = new SecurityState();
  private readonly ctx: PivContext;
  private readonly fci = applicationPropertyTemplate();

  constructor(store: CardStore) {
    this.ctx = new PivContext(store, this.security);
  }

  select(reselect: boolean): AppletResponse {
    // Re-selecting PIV keeps the security status (§3.1.1; digest G2).
    if (!reselect) this.security.clear();
    return { data: this.fci, sw: SW.OK };
  }

  deselect(): void {
    this.security.clear();
  }

  powerReset(): void {
    this.security.clear();
  }

  process(command: CommandApdu): AppletResponse {
    this.security.beginCommand();
    const handler = HANDLERS.get(command.ins);
    if (!handler) return { sw: SW.INS_NOT_SUPPORTED };
    return handler(this.ctx, command);
  }
}
