/**
 * TCP_QUICKACK re-arming (digest G15): vpcd sends the length and the payload of each frame in
 * two send() calls with Nagle on, so without an immediate ACK from us every APDU stalls ~40 ms.
 * Linux clears TCP_QUICKACK by itself, so it is set again after every read. Node has no API for
 * it; the optional native package `sockopt` provides setsockopt. Without it the bridge still
 * works, at ~20 APDU/s, and says so once.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

const IPPROTO_TCP = 6;
const TCP_QUICKACK = 12;

type SetSockOpt = (socket: Socket, level: number, name: number, value: number) => void;

let setsockopt: SetSockOpt | null | undefined;
let warned = false;

function load(warn: (message: string) => void): SetSockOpt | null {
  if (setsockopt !== undefined) return setsockopt;
  if (process.platform !== 'linux') return (setsockopt = null);
  try {
    const required = createRequire(import.meta.url)('sockopt') as { setsockopt: SetSockOpt };
    setsockopt = required.setsockopt;
  } catch {
    setsockopt = null;
    if (!warned) {
      warned = true;
      warn('optional package "sockopt" is not installed: APDUs through pcscd will be slow (~20/s); `npm install sockopt` fixes it');
    }
  }
  return setsockopt;
}

/** Ask the kernel to ACK the next segment at once. Returns false when that is not possible here. */
export function rearmQuickAck(socket: Socket, warn: (message: string) => void): boolean {
  const set = load(warn);
  if (!set) return false;
  try {
    set(socket, IPPROTO_TCP, TCP_QUICKACK, 1);
    return true;
  } catch {
    return false; // socket already closed
  }
}
