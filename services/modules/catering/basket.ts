/**
 * The basket a till asks the card to sign over (docs/modules/catering.md): UTF-8 JSON
 * `{"items":[{"code":"MEAL","qty":1,"unitPence":250}],"totalPence":250}`. The card signed its
 * SHA-256, so the platform charges exactly what the pupil's card agreed to, and checks it
 * against the school's price list so a till cannot charge its own prices.
 */
export interface BasketLine {
  readonly code: string;
  readonly qty: number;
  readonly unitPence: number;
}

export interface Basket {
  readonly items: readonly BasketLine[];
  readonly totalPence: number;
}

export interface PricedItem {
  readonly code: string;
  readonly name: string;
  readonly pricePence: number;
  readonly allergens: readonly string[];
  readonly available: boolean;
}

export type BasketCheck =
  | { readonly ok: true; readonly basket: Basket; readonly allergens: readonly string[] }
  | { readonly ok: false; readonly reason: 'basket_invalid' | 'unknown_item' | 'price_mismatch'; readonly detail: string };

const MAX_LINES = 50;
const MAX_QTY = 50;

export function parseBasket(payload: Uint8Array): Basket | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return undefined;
  }
  if (!isObject(value, ['items', 'totalPence']) || !Array.isArray(value.items) || !isPence(value.totalPence)) return undefined;
  if (value.items.length < 1 || value.items.length > MAX_LINES) return undefined;
  const items: BasketLine[] = [];
  for (const line of value.items as unknown[]) {
    if (!isObject(line, ['code', 'qty', 'unitPence'])) return undefined;
    if (typeof line.code !== 'string' || !Number.isSafeInteger(line.qty) || (line.qty as number) < 1 || (line.qty as number) > MAX_QTY) return undefined;
    if (!isPence(line.unitPence)) return undefined;
    items.push({ code: line.code, qty: line.qty as number, unitPence: line.unitPence });
  }
  return { items, totalPence: value.totalPence };
}

/** Each line must be on the price list at its listed price, and the lines must add up to the total. */
export function checkBasket(payload: Uint8Array, priceList: ReadonlyMap<string, PricedItem>): BasketCheck {
  const basket = parseBasket(payload);
  if (!basket) return { ok: false, reason: 'basket_invalid', detail: 'the signed payload is not a basket' };
  let sum = 0;
  const allergens = new Set<string>();
  for (const line of basket.items) {
    const item = priceList.get(line.code);
    if (!item || !item.available) return { ok: false, reason: 'unknown_item', detail: `${line.code} is not on the price list` };
    if (item.pricePence !== line.unitPence) return { ok: false, reason: 'price_mismatch', detail: `${line.code} costs ${item.pricePence}, the till said ${line.unitPence}` };
    sum += line.qty * line.unitPence;
    for (const allergen of item.allergens) allergens.add(allergen);
  }
  if (sum !== basket.totalPence) return { ok: false, reason: 'price_mismatch', detail: `the lines add up to ${sum}, the total says ${basket.totalPence}` };
  return { ok: true, basket, allergens: [...allergens].sort() };
}

function isObject<K extends string>(value: unknown, keys: readonly K[]): value is Record<K, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

function isPence(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 10_000_00;
}
