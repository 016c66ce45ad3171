import { expect } from 'chai';
import type { RequestHandler } from 'express';
import { RouteTable } from '../../../shared/http/index.js';

const named = (name: string): RequestHandler => Object.assign(() => undefined, { label: name });
const labelOf = (found: ReturnType<RouteTable['lookup']>) => (found?.handlers[0] as unknown as { label: string } | undefined)?.label;

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('get', '/v1/readers/{readerId}', [named('reader')]);
  table.add('get', '/v1/readers/self', [named('self')]);
  table.add('post', '/v1/taps/{tapId}/response', [named('answer')]);
  table.add('get', '/v1/cards/{cardId}', [named('card')]);

  it('finds a route by method and path, with its decoded parameters', () => {
    const found = table.lookup('POST', '/v1/taps/5b0c%2Dabc/response');
    expect(labelOf(found)).to.equal('answer');
    expect(found!.params).to.deep.equal({ tapId: '5b0c-abc' });
  });

  it('prefers a static segment to a parameter, whatever the order they were declared in', () => {
    expect(labelOf(table.lookup('GET', '/v1/readers/self'))).to.equal('self');
    expect(labelOf(table.lookup('GET', '/v1/readers/42'))).to.equal('reader');
  });

  it('ignores the query string and a trailing slash, and matches the path in any case while keeping parameter case', () => {
    const found = table.lookup('GET', '/V1/Cards/AbC/?include=all');
    expect(labelOf(found)).to.equal('card');
    expect(found!.params).to.deep.equal({ cardId: 'AbC' });
  });

  it('answers HEAD with the GET route, and nothing for another method or an unknown path', () => {
    expect(labelOf(table.lookup('HEAD', '/v1/cards/1'))).to.equal('card');
    expect(table.lookup('DELETE', '/v1/cards/1')).to.equal(undefined);
    expect(table.lookup('GET', '/v1/nothing-here')).to.equal(undefined);
  });

  it('refuses the same method and path declared twice', () => {
    expect(() => table.add('get', '/v1/cards/{cardId}', [named('again')])).to.throw();
  });
});
