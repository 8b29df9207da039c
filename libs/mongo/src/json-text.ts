/**
 * A field kept as JSON text (FerretDB converts every nested field on each write and read, one
 * text field costs it far less), or as the subdocument a writer stored before it was text.
 */
export function fromJsonText<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
