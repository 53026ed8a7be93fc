import { Lexer, Source, TokenKind } from "graphql";

/**
 * Counts a document's tokens, stopping once past `max` (so a huge document
 * costs no more than `max` tokens of work). Returns null when the document
 * does not even lex; the GraphQL parser then reports the syntax error.
 */
export function countTokens(query: string, max: number): number | null {
  try {
    const lexer = new Lexer(new Source(query));
    let count = 0;
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++count > max) return count;
    }
    return count;
  } catch {
    return null;
  }
}
