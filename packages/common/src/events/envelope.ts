import { randomUUID } from 'node:crypto';

/** Topics of seed §11.1, plus transcription.completed, document.deleted and the account erasure's two. */
export const TOPICS = {
  audioGenerationRequested: 'audio.generation.requested',
  transcriptionRequested: 'transcription.requested',
  transcriptionCompleted: 'transcription.completed',
  documentUploaded: 'document.uploaded',
  documentProcessed: 'document.processed',
  documentDeleted: 'document.deleted',
  userDeleted: 'user.deleted',
  erasureConfirmed: 'erasure.confirmed',
  chatMessageSent: 'chat.message.sent',
  quizGenerated: 'quiz.generated',
  quizSubmitted: 'quiz.submitted',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Partition counts the local infrastructure creates the topics with. */
export const TOPIC_PARTITIONS: Record<Topic, number> = {
  'audio.generation.requested': 3,
  'transcription.requested': 2,
  'transcription.completed': 2,
  'document.uploaded': 2,
  'document.processed': 2,
  'document.deleted': 2,
  'user.deleted': 2,
  'erasure.confirmed': 2,
  'chat.message.sent': 3,
  'quiz.generated': 2,
  'quiz.submitted': 2,
};

export interface EventEnvelope<P = Record<string, unknown>> {
  event_id: string;
  event_type: string;
  timestamp: string;
  user_id: string;
  service: string;
  version: string;
  payload: P;
}

export function createEvent<P extends Record<string, unknown>>(input: {
  type: string;
  userId: string;
  service: string;
  payload: P;
}): EventEnvelope<P> {
  return {
    event_id: randomUUID(),
    event_type: input.type,
    timestamp: new Date().toISOString(),
    user_id: input.userId,
    service: input.service,
    version: '1.0',
    payload: input.payload,
  };
}

export interface OutgoingMessage {
  topic: string;
  key: string;
  event: EventEnvelope;
}

/** Where the outbox relay hands events: Kafka in production, an in-process bus when embedded. */
export interface EventBus {
  publish(messages: OutgoingMessage[]): Promise<void>;
  /** Resolves when the bus can take messages; rejects with the reason otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}
