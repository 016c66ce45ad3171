import type { Logger } from '../../../shared/logging/index.js';
import type { AuthenticatedTap, ModuleContext, ModuleDecision, TapModule } from '../../../shared/modules/index.js';
import type { AuthMetrics } from '../auth-metrics.js';
import { MODULE_REASON } from '../taps/tap-reasons.js';
import type { RegisteredPurpose } from './module-registry.js';

const MAX_DISPLAY_ENTRIES = 16;
const MAX_DISPLAY_TEXT = 200;

export interface RoutedDecision {
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  readonly display: Readonly<Record<string, string | number | boolean>>;
}

const unavailable: RoutedDecision = { decision: 'denied', reason: 'module_unavailable', display: {} };

/**
 * Hands an authenticated tap to the module of its purpose, inside a bulkhead: a time budget
 * (the decision is denied `module_unavailable` when it runs out, and the module's signal
 * fires), a cap on decisions in flight per module, and a check of what it answers. A module
 * that throws, hangs or answers nonsense is counted in tessera_module_failures_total and
 * harms no other module.
 */
export class ModuleRouter {
  readonly #inFlight = new Map<string, number>();

  constructor(
    private readonly contexts: ReadonlyMap<string, ModuleContext>,
    private readonly metrics: AuthMetrics,
    private readonly logger: Logger,
    private readonly defaults: { readonly timeBudgetMs: number; readonly concurrency: number },
  ) {}

  async decide(purpose: RegisteredPurpose, tap: AuthenticatedTap): Promise<RoutedDecision> {
    const module = purpose.module;
    if (!module) throw new Error(`${purpose.name} is decided by the platform, not a module`);
    const ctx = this.contexts.get(module.name);
    if (!ctx) return this.#failed(module, 'not-started', new Error('module context missing'));
    const inFlight = this.#inFlight.get(module.name) ?? 0;
    if (inFlight >= this.defaults.concurrency) return this.#failed(module, 'overload', new Error(`${inFlight} decisions in flight`));
    this.#inFlight.set(module.name, inFlight + 1);
    const budget = purpose.declaration.timeBudgetMs ?? this.defaults.timeBudgetMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), budget);
    });
    try {
      const decided = Promise.resolve().then(() => module.decide(tap, { ...ctx, signal: controller.signal }));
      const outcome = await Promise.race([decided, timeout]);
      if (outcome === 'timeout') {
        controller.abort(new Error(`time budget of ${budget} ms spent`));
        // The late answer (or failure) is dropped; only keep it from becoming an unhandled rejection.
        decided.catch(() => undefined);
        return this.#failed(module, 'timeout', new Error(`no decision within ${budget} ms`));
      }
      return checked(outcome) ?? this.#failed(module, 'invalid', new Error('the decision does not match the module contract'));
    } catch (error) {
      return this.#failed(module, 'error', error);
    } finally {
      clearTimeout(timer);
      this.#inFlight.set(module.name, (this.#inFlight.get(module.name) ?? 1) - 1);
    }
  }

  #failed(module: TapModule, kind: string, error: unknown): RoutedDecision {
    this.metrics.moduleFailures.inc({ module: module.name, kind });
    this.logger.warn({ module: module.name, kind, err: (error as Error)?.message ?? String(error) }, 'module decision failed: denied module_unavailable');
    return unavailable;
  }
}

function checked(decision: ModuleDecision | undefined): RoutedDecision | undefined {
  if (!decision || (decision.decision !== 'granted' && decision.decision !== 'denied')) return undefined;
  const reason = decision.reason ?? (decision.decision === 'granted' ? 'ok' : 'denied');
  if (!MODULE_REASON.test(reason)) return undefined;
  const display = decision.display ?? {};
  const entries = Object.entries(display);
  if (entries.length > MAX_DISPLAY_ENTRIES) return undefined;
  for (const [key, value] of entries) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/.test(key)) return undefined;
    if (typeof value === 'string' ? value.length > MAX_DISPLAY_TEXT : typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  }
  return { decision: decision.decision, reason, display: { ...display } };
}
