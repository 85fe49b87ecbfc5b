import Foundation
import VOCSchema
import VOCStore

/// The interaction's and the transcript's parts of a timeline row, and the contact
/// counters of the customer 360. No text is kept: the redacted transcript comes with the
/// insight (analyze owns redaction), and a transcript's own text is not redacted.
enum InteractionWrites {
    struct InteractionRow: Encodable {
        var entryId: String
        var customerId: String
        var channel: String
        var businessLine: String
        var occurredAt: Date
        var receivedAt: Date
        var language: String?
        var agentId: String?
        var gatewayId: String?
        var contentChars: Int
        var utteranceCount: Int
        var hasAudio: Bool
        var eventId: String
    }

    struct ContactRow: Encodable {
        var customerId: String
        var contacts: Int
        var firstContactAt: Date
        var lastContactAt: Date
    }

    static func apply(_ interactions: [InteractionReceived], in transaction: StoreTransaction) async throws {
        var rows: [String: InteractionRow] = [:]
        for event in interactions where rows[event.interactionId] == nil {
            rows[event.interactionId] = InteractionRow(
                entryId: event.interactionId, customerId: event.customerId, channel: event.channel.rawValue,
                businessLine: event.businessLine, occurredAt: event.occurredAt, receivedAt: event.receivedAt,
                language: event.language, agentId: event.agentId, gatewayId: event.gatewayId,
                contentChars: event.plainText.count, utteranceCount: event.utterances?.count ?? (event.text == nil ? 0 : 1),
                hasAudio: event.audio != nil, eventId: event.interactionId)
        }
        // A contact already on the timeline (sent again under another event id) is not counted again.
        let known: [String] = try await transaction.rows(
            "SELECT entry_id FROM timeline_entries WHERE entry_id = ANY(\(Array(rows.keys))) AND interaction_seen",
            as: String.self)
        let seen = Set(known)
        try await transaction.execute(
            """
            INSERT INTO timeline_entries AS t (entry_id, customer_id, kind, channel, business_line, occurred_at, received_at, language,
                agent_id, gateway_id, content_chars, utterance_count, has_audio, event_id, interaction_seen)
            SELECT entry_id, customer_id, 'interaction', channel, business_line, occurred_at, received_at, language, agent_id,
                gateway_id, content_chars, utterance_count, has_audio, event_id, true
            FROM jsonb_to_recordset(\(try RowSet.json(Array(rows.values)))::jsonb) AS r(entry_id text, customer_id text, channel text,
                business_line text, occurred_at timestamptz, received_at timestamptz, language text, agent_id text, gateway_id text,
                content_chars integer, utterance_count integer, has_audio boolean, event_id text)
            ON CONFLICT (entry_id) DO UPDATE SET
                customer_id = EXCLUDED.customer_id, channel = EXCLUDED.channel, business_line = EXCLUDED.business_line,
                occurred_at = EXCLUDED.occurred_at, received_at = EXCLUDED.received_at, language = EXCLUDED.language,
                agent_id = EXCLUDED.agent_id, gateway_id = EXCLUDED.gateway_id, content_chars = EXCLUDED.content_chars,
                utterance_count = EXCLUDED.utterance_count, has_audio = EXCLUDED.has_audio, event_id = EXCLUDED.event_id,
                interaction_seen = true
            WHERE NOT t.interaction_seen
            """)
        var contacts: [String: ContactRow] = [:]
        for row in rows.values where !seen.contains(row.entryId) {
            if var known = contacts[row.customerId] {
                known.contacts += 1
                known.firstContactAt = min(known.firstContactAt, row.occurredAt)
                known.lastContactAt = max(known.lastContactAt, row.occurredAt)
                contacts[row.customerId] = known
            } else {
                contacts[row.customerId] = ContactRow(customerId: row.customerId, contacts: 1, firstContactAt: row.occurredAt,
                                                      lastContactAt: row.occurredAt)
            }
        }
        guard !contacts.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO customer_profiles AS p (customer_id, contact_count, first_contact_at, last_contact_at)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(contacts.values)))::jsonb)
                AS r(customer_id text, contacts integer, first_contact_at timestamptz, last_contact_at timestamptz)
            ON CONFLICT (customer_id) DO UPDATE SET
                contact_count = p.contact_count + EXCLUDED.contact_count,
                first_contact_at = LEAST(p.first_contact_at, EXCLUDED.first_contact_at),
                last_contact_at = GREATEST(p.last_contact_at, EXCLUDED.last_contact_at)
            """)
    }

    struct TranscriptRow: Encodable {
        var entryId: String
        var customerId: String
        var channel: String
        var businessLine: String
        var occurredAt: Date
        var transcriptId: String
        var transcriptEngine: String
        var audioDurationMs: Int?
    }

    /// The engine and the recording's length. A contact transcribed twice (another engine)
    /// shows the transcript with the greater id, so any order of arrival gives one row.
    static func apply(_ transcripts: [TranscriptReady], in transaction: StoreTransaction) async throws {
        var rows: [String: TranscriptRow] = [:]
        for event in transcripts {
            let row = TranscriptRow(entryId: event.interactionId, customerId: event.customerId, channel: event.channel.rawValue,
                                    businessLine: event.businessLine, occurredAt: event.occurredAt, transcriptId: event.transcriptId,
                                    transcriptEngine: event.engine.name, audioDurationMs: event.audioDurationMs)
            if let known = rows[row.entryId], known.transcriptId >= row.transcriptId { continue }
            rows[row.entryId] = row
        }
        try await transaction.execute(
            """
            INSERT INTO timeline_entries AS t (entry_id, customer_id, channel, business_line, occurred_at, transcript_id,
                transcript_engine, audio_duration_ms)
            SELECT entry_id, customer_id, channel, business_line, occurred_at, transcript_id, transcript_engine, audio_duration_ms
            FROM jsonb_to_recordset(\(try RowSet.json(Array(rows.values)))::jsonb) AS r(entry_id text, customer_id text, channel text,
                business_line text, occurred_at timestamptz, transcript_id text, transcript_engine text, audio_duration_ms integer)
            ON CONFLICT (entry_id) DO UPDATE SET
                transcript_id = EXCLUDED.transcript_id, transcript_engine = EXCLUDED.transcript_engine,
                audio_duration_ms = COALESCE(EXCLUDED.audio_duration_ms, t.audio_duration_ms)
            WHERE t.transcript_id IS NULL OR t.transcript_id <= EXCLUDED.transcript_id
            """)
    }
}
