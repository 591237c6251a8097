/**
 * The face-neutral refusal when a destination (address or number) has had its share of messages:
 * a 429 whose details name the channel, so each face renders its own too-many-attempts code.
 */
export const TOO_MANY_MESSAGES = 'messaging.too_many_messages';
