import { expect } from 'chai';
import { DoorWatch, SimulatedDoorSensor, SimulatedLock, type DoorWatchEvent } from '../../../services/reader-agent/door/index.js';

describe('access door role: lock and door sensor', () => {
  const t0 = new Date('2026-07-01T09:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  function rig(heldOpenSeconds = 10) {
    let now = t0;
    const lock = new SimulatedLock(() => now);
    const sensor = new SimulatedDoorSensor();
    const events: DoorWatchEvent[] = [];
    const watch = new DoorWatch(sensor, lock, (e) => events.push(e), heldOpenSeconds);
    return { lock, sensor, events, watch, setNow: (d: Date) => (now = d) };
  }

  it('reports a door opened while locked as forced', () => {
    const { sensor, events } = rig();
    sensor.set(true, at(1));
    expect(events).to.deep.equal([{ kind: 'forced', at: at(1) }]);
  });

  it('lets a granted opening pass, then reports held open once and closed', () => {
    const { lock, sensor, events, watch } = rig(10);
    lock.release(at(5));
    sensor.set(true, at(1));
    watch.check(at(10));
    expect(events).to.deep.equal([]);
    watch.check(at(12));
    watch.check(at(20));
    sensor.set(false, at(25));
    expect(events.map((e) => e.kind)).to.deep.equal(['held_open', 'closed']);
    expect(lock.released).to.equal(false);
  });

  it('locks again when the release time has passed', () => {
    const { lock, setNow } = rig();
    lock.release(at(5));
    setNow(at(4));
    expect(lock.released).to.equal(true);
    setNow(at(5));
    expect(lock.released).to.equal(false);
  });
});
