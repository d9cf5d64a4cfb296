import type { Knex } from 'knex';
import { NewsGate } from '../events/newsGate.js';
import { commitSnapshot } from '../events/positions.js';
import { readVisibleEvents } from '../events/reader.js';
import { parseTopic, topicName, type Topic } from '../events/topics.js';
import type { Viewer } from '../events/visibility.js';
import type { Connection, Subscription } from './connection.js';

/** Whether the task or project a topic names exists and the viewer may see it (always true for the other topics). */
export type TopicExists = (viewer: Viewer, topic: Topic) => Promise<boolean>;

export interface SubscriptionLimits {
  /** Topics one socket may hold. */
  maxTopics: number;
  /** Events a resume may replay; further behind, the client is told to resync. */
  replayLimit: number;
}

/**
 * A socket's `subscribe`: checks the topic, then either replays what a
 * resuming client missed (`since`) or notes where a live one begins, and
 * acknowledges. Live events that arrive meanwhile wait in the
 * subscription's gate, so none is lost or sent twice.
 */
export async function subscribe(
  connection: Connection,
  request: { topic: unknown; since: number | undefined },
  deps: { knex: Knex; topicExists: TopicExists; limits: SubscriptionLimits },
): Promise<void> {
  const viewer = connection.viewer;
  const name = request.topic;
  if (!viewer) return connection.send({ type: 'error', code: 'unauthenticated', message: 'Send {"type":"auth"} first', topic: name });
  const topic = parseTopic(name);
  if (!topic) return connection.send({ type: 'error', code: 'bad_topic', message: 'Topics are tasks, task:<id>, project:<id>, notifications and jobs', topic: name });
  const key = topicName(topic);
  const { maxTopics } = deps.limits;
  if (!connection.subscriptions.has(key) && connection.subscriptions.size >= maxTopics) {
    return connection.send({ type: 'error', code: 'too_many_topics', message: `At most ${maxTopics} topics per socket`, topic: key });
  }
  // Take the slot before any await, so concurrent subscribes respect the cap.
  const subscription: Subscription = { topic, name: key, gate: new NewsGate((event) => connection.sendEvent(event, key)) };
  connection.subscriptions.set(key, subscription);
  const current = () => connection.subscriptions.get(key) === subscription; // false once unsubscribed or replaced
  try {
    if (!(await deps.topicExists(viewer, topic))) {
      if (current()) connection.subscriptions.delete(key);
      return connection.send({ type: 'error', code: 'not_found', message: `No such ${topic.kind}`, topic: key });
    }
    if (request.since === undefined) {
      const snapshot = await commitSnapshot(deps.knex);
      if (!current()) return;
      subscription.gate.openSince(snapshot);
      return connection.send({ type: 'ack', op: 'subscribe', topic: key });
    }
    await replay(connection, viewer, subscription, request.since, deps);
  } catch (error) {
    // A subscription that could not start must not keep collecting events.
    if (current()) connection.subscriptions.delete(key);
    throw error;
  }
}

/** Sends the settled events the client missed since event `since`, then opens the gate past them. */
async function replay(connection: Connection, viewer: Viewer, subscription: Subscription, since: number, deps: { knex: Knex; limits: SubscriptionLimits }) {
  const { topic, name: key, gate } = subscription;
  const { replayLimit } = deps.limits;
  const missed = await readVisibleEvents(deps.knex, viewer, { afterEventId: since, limit: replayLimit, topic });
  if (connection.subscriptions.get(key) !== subscription) return;
  if (missed.more) {
    connection.send({ type: 'resync', topic: key, message: `More than ${replayLimit} events were missed: reload, then subscribe without since` });
    gate.openAll();
  } else {
    for (const event of missed.events) connection.sendEvent(event, key);
    gate.openAfter(missed.last);
  }
  connection.send({ type: 'ack', op: 'subscribe', topic: key, replayed: missed.more ? 0 : missed.events.length });
}
