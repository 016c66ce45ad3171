import { expect } from 'chai';
import { InvalidatingCache } from '../../../services/auth/notifications/invalidating-cache.js';
import type { NotificationFeed } from '../../../services/auth/notifications/notification-feed.js';

class FakeFeed implements NotificationFeed {
  healthy = true;
  resets: (() => void)[] = [];
  subscribe(): void {}
  onReset(handler: () => void): void {
    this.resets.push(handler);
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('auth: invalidating cache', () => {
  it('loads once and serves the cached value until it is deleted', async () => {
    const cache = new InvalidatingCache<string, number>(new FakeFeed(), 10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.load('a', load)).to.equal(1);
    expect(await cache.load('a', load)).to.equal(1);
    cache.delete('a');
    expect(await cache.load('a', load)).to.equal(2);
  });

  it('does not keep a value loaded while an invalidation arrived', async () => {
    const cache = new InvalidatingCache<string, string>(new FakeFeed(), 10);
    let release!: () => void;
    const slow = cache.load('a', () => new Promise((resolve) => (release = () => resolve('stale'))));
    cache.delete('a');
    release();
    expect(await slow).to.equal('stale');
    expect(await cache.load('a', async () => 'fresh')).to.equal('fresh');
  });

  it('caches nothing while the feed is down, and empties itself on a reset', async () => {
    const feed = new FakeFeed();
    const cache = new InvalidatingCache<string, number>(feed, 10);
    await cache.load('a', async () => 1);
    feed.healthy = false;
    expect(await cache.load('a', async () => 2)).to.equal(2);
    expect(cache.get('a')).to.equal(undefined);
    feed.healthy = true;
    for (const reset of feed.resets) reset();
    expect(cache.size).to.equal(0);
  });

  it('is bounded', async () => {
    const cache = new InvalidatingCache<number, number>(new FakeFeed(), 2);
    for (const key of [1, 2, 3]) await cache.load(key, async () => key);
    expect(cache.size).to.equal(2);
    expect(cache.get(1)).to.equal(undefined);
  });
});
