/** A profile label fit for a Markdown code span: backticks and line breaks would break the line. */
export function codeLabel(label: string): string {
  return `\`${label.replace(/[`\r\n]/g, "'")}\``;
}
