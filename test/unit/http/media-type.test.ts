import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { hasJsonContentType } from '../../../shared/http/index.js';

const requestWith = (contentType: string | undefined) =>
  ({ headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), 'content-length': '2' } }) as unknown as IncomingMessage;

describe('hasJsonContentType', () => {
  const cases = [
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/problem+json',
    'application/merge-patch+json;charset=UTF-8',
    'application/jsonx',
    'application/json-seq',
    'text/json',
    'text/plain',
    'text/csv',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/+json',
    'json',
    '',
  ];

  // express's req.is is type-is, which the body parser used before.
  const expressSays = (req: IncomingMessage) => (express.request.is as (this: IncomingMessage, types: string[]) => string | false | null).call(req, ['application/json', 'application/*+json']);

  it('agrees with type-is on the patterns the platform accepts', () => {
    for (const contentType of cases) {
      const expected = Boolean(expressSays(requestWith(contentType)));
      expect(hasJsonContentType(requestWith(contentType)), contentType).to.equal(expected);
    }
  });

  it('is false without a content type', () => {
    expect(hasJsonContentType(requestWith(undefined))).to.equal(false);
  });
});
