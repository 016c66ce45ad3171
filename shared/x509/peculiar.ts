// @peculiar/x509 2 resolves its algorithms through tsyringe, which needs a Reflect polyfill
// loaded before it; ESM evaluates imports in order, so this file is the only way in.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
