/** A JSON Schema (draft 2020-12 subset that ajv and OpenAPI 3.1 share). Kept loose on purpose. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Walks a schema and names every object schema that leaves `additionalProperties` open.
 * Request schemas must reject unknown fields, so this runs when a route is registered and
 * a careless schema fails the platform at start, not in production.
 */
export function findOpenObjects(schema: JsonSchema, pointer = '#'): string[] {
  const open: string[] = [];
  const visit = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as Record<string, unknown>;
    const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || 'properties' in s;
    if (isObject && !('additionalProperties' in s) && !('unevaluatedProperties' in s) && !('patternProperties' in s)) open.push(at);
    for (const key of ['properties', '$defs', 'patternProperties'] as const) {
      const children = s[key];
      if (children && typeof children === 'object') {
        for (const [name, child] of Object.entries(children)) visit(child, `${at}/${key}/${name}`);
      }
    }
    for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const) visit(s[key], `${at}/${key}`);
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
      const list = s[key];
      if (Array.isArray(list)) list.forEach((child, i) => visit(child, `${at}/${key}/${i}`));
    }
  };
  visit(schema, pointer);
  return open;
}
