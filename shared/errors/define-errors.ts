/** One entry of the error catalogue: the HTTP status it maps to and a short, stable title. */
export interface ErrorDefinition {
  readonly status: number;
  readonly title: string;
}

export type ErrorDefinitions = Readonly<Record<`ERR_${string}`, ErrorDefinition>>;
