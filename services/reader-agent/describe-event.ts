import type { AgentEvent } from './reader-agent.js';

/** One line for a person at the reader (or the log): what just happened. */
export function describeEvent(event: AgentEvent): string {
  switch (event.kind) {
    case 'ready':
      return `ready: ${event.reader.name} (${event.reader.kind}${event.reader.target ? ` at ${event.reader.target}` : ''})`;
    case 'card':
      return `card present (ATR ${event.atr})`;
    case 'decision': {
      const d = event.decision;
      const who = d.cardholder ? ` ${[d.cardholder.name, d.cardholder.reference && `(${d.cardholder.reference})`].filter(Boolean).join(' ')}` : '';
      const extra = Object.entries(d.display).map(([k, v]) => `${k}=${v}`).join(' ');
      return `${d.decision.toUpperCase()} ${d.purpose ?? ''} ${d.target ?? ''}: ${d.reason}${who}${extra ? ` ${extra}` : ''}`.replace(/\s+/g, ' ').trim();
    }
    case 'removed':
      return event.duringTap ? 'card removed before the tap finished' : 'card removed';
    case 'relay':
      return event.open ? 'desk relay: the platform is driving the card' : 'desk relay: session closed';
    case 'retry':
      return `retrying in ${event.delayMs} ms: ${event.message}`;
    case 'error':
      return `error${event.code ? ` ${event.code}` : ''}: ${event.message}`;
  }
}
