/** Bad query input: reaches the client as VALIDATION_FAILED with the offending fields. */
export class ReadSideInputError extends Error {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    message: string,
    readonly fields: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ReadSideInputError';
  }
}

/** Something asked for by id does not exist. */
export class ReadSideNotFoundError extends Error {
  readonly code = 'NOT_FOUND' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ReadSideNotFoundError';
  }
}
