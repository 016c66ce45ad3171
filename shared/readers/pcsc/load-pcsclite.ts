import { PcscUnavailableError } from '../../piv/errors.js';
import type { PcscLiteFactory } from './pcsclite-types.js';

export const PCSCLITE_INSTALL_HINT =
  'Install the PC/SC library and daemon, then rebuild the native binding: ' +
  'apt-get install libpcsclite-dev pcscd && npm rebuild pcsclite';

/** The npm package name in a variable, so TypeScript does not require the optional dependency. */
const PACKAGE = 'pcsclite';
let loaded: Promise<PcscLiteFactory> | undefined;

/**
 * Loads the native `pcsclite` binding on first use only: it is an optionalDependency, so the
 * platform and the simulated readers work on machines without PC/SC.
 */
export function loadPcscLite(): Promise<PcscLiteFactory> {
  loaded ??= import(PACKAGE).then(
    (module: { default?: unknown }) => {
      const factory = module.default ?? module;
      if (typeof factory !== 'function') throw new PcscUnavailableError(`The "${PACKAGE}" package has no factory export. ${PCSCLITE_INSTALL_HINT}`);
      return factory as PcscLiteFactory;
    },
    (cause: unknown) => {
      loaded = undefined;
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new PcscUnavailableError(`The "${PACKAGE}" native binding cannot be loaded (${why}). ${PCSCLITE_INSTALL_HINT}`, cause);
    },
  );
  return loaded;
}
