import { expect } from 'chai';
import { DEMO_CARD_PIN } from '../../../services/identity/issuance/index.js';
import { channelOf, checkUsableCard } from './card-check.js';
import { identityWithDesk, issuanceFixture, type IssuanceFixture } from './issuance-fixture.js';

describe('issuance demo data', function () {
  let f: IssuanceFixture;
  before(async function () {
    this.timeout(120_000);
    f = await issuanceFixture();
  });
  after(() => f?.dispose());

  it('enrols the demo cardholders and issues Ada Lovelace an active card on the simulated desk, once', async () => {
    const seeder = identityWithDesk(f.deskReaders).demoSeeders!.find((s) => s.name === 'issuance/demo-cards')!;
    const ctx = f.platform.platform.ctx;
    await seeder.seed(ctx);
    await seeder.seed(ctx);
    const ada = await f.db.knex('cardholders').where({ given_name: 'Ada', family_name: 'Lovelace' });
    expect(ada).to.have.length(1);
    const cards = await f.db.knex('cards').where({ cardholder_id: ada[0].id });
    expect(cards.map((c: any) => [c.status, c.algorithm])).to.deep.equal([['active', 'p256']]);
    await checkUsableCard(channelOf(f.stock.issuedCard(cards[0].id)!), { cardId: cards[0].id, pin: DEMO_CARD_PIN, algorithm: 'p256' });
    expect(await f.db.knex('cardholders').whereIn('family_name', ['Turing', 'Hopper', 'Johnson'])).to.have.length(3);
  });
});
