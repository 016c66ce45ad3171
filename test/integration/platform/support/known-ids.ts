const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PER_NAME = 50;
const MAX_IN_ALL = 1000;
/** Short strings only: codes, currencies, names, the words a field takes. */
const MAX_VALUE_LENGTH = 64;

/**
 * Identifiers (and other short strings) seen in successful answers, filed under the name they would have as a parameter:
 * `cardholderId` for `{"cardholderId": ...}`, for `{"cardholder": {"id": ...}}`, and for the
 * `id` answered by POST /v1/cardholders. A generated `{cardholderId}` or `debitAccountId` then
 * names a record that exists, so requests get past "not found" into the handler's own checks.
 */
export class KnownIds {
  readonly #byName = new Map<string, string[]>();
  readonly #all: string[] = [];
  readonly #valuesByName = new Map<string, string[]>();

  /** @param excluded ids never to hand out: the fuzz's own callers, which it must not disable or re-key. */
  constructor(private readonly excluded: ReadonlySet<string>) {}

  /** Files every identifier in a JSON answer to a request for `path`. */
  learn(path: string, json: unknown): void {
    const resource = singular(path.split('?')[0]!.split('/').filter((s) => s && !UUID.test(s)).at(-1) ?? '');
    // `name` is the property a value sits under; array items sit under their array's.
    const visit = (value: unknown, name: string): void => {
      if (Array.isArray(value)) for (const item of value) visit(item, name);
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === 'id' && typeof child === 'string' && UUID.test(child)) this.#add(`${name ? singular(name) : resource}Id`, child.toLowerCase());
          else visit(child, key);
        }
      } else if (typeof value === 'string' && UUID.test(value) && name) this.#add(name, value.toLowerCase());
      else if (typeof value === 'string' && name && value.length <= MAX_VALUE_LENGTH) this.#addValue(name, value);
    };
    visit(json, '');
  }

  /** A live list of the ids that fit a parameter or field name (`anchorId` takes `trustAnchorId`s), else every id seen. */
  fitting(name: string): readonly string[] {
    const wanted = name.toLowerCase();
    const fits = [...this.#byName].filter(([known]) => known.endsWith(wanted) || wanted.endsWith(known)).flatMap(([, ids]) => ids);
    return fits.length > 0 ? fits : this.#all;
  }

  /** A live list of the other strings answered under exactly this field name (`currency`: `GBP`). */
  valuesOf(name: string): readonly string[] {
    return this.#valuesByName.get(name) ?? [];
  }

  #addValue(name: string, value: string): void {
    const list = this.#valuesByName.get(name) ?? [];
    if (!list.includes(value) && list.length < MAX_PER_NAME) list.push(value);
    this.#valuesByName.set(name, list);
  }

  #add(name: string, id: string): void {
    if (this.excluded.has(id)) return;
    const list = this.#byName.get(name.toLowerCase()) ?? [];
    if (!list.includes(id) && list.length < MAX_PER_NAME) list.push(id);
    this.#byName.set(name.toLowerCase(), list);
    if (!this.#all.includes(id) && this.#all.length < MAX_IN_ALL) this.#all.push(id);
  }
}

/** `trust-anchors` -> `trustAnchor`: a path's last static segment as a parameter's stem. */
function singular(segment: string): string {
  const camel = segment.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel.endsWith('s') ? camel.slice(0, -1) : camel;
}
