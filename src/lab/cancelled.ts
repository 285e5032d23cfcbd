/** The error a cancelled experiment or live race ends with; nothing partial is returned. */
export class Cancelled extends Error {
  constructor() {
    super('The experiment was cancelled.');
    this.name = 'Cancelled';
  }
}
