import Foundation
import Logging
import VOCKafka
import VOCSchema
import VOCStore

/// Which dead letters a replay takes.
struct DeadLetterFilter {
    var stage: String?
    var topic: String?
    var reason: DeadLetter.Reason?
    var key: String?
    var since: Date?

    init(stage: String? = nil, topic: String? = nil, reason: String? = nil, key: String? = nil, since: Date? = nil) throws {
        self.stage = stage
        self.topic = topic
        if let reason {
            let parsed = DeadLetter.Reason(rawValue: reason)
            guard DeadLetter.Reason.known.contains(parsed) else {
                throw ReplayError("--reason \(reason): expected \(DeadLetter.Reason.known.map(\.rawValue).joined(separator: " or "))")
            }
            self.reason = parsed
        }
        self.key = key
        self.since = since
    }

    func matches(_ letter: DeadLetter) -> Bool {
        if let stage, letter.stage != stage { return false }
        if let topic, letter.originalTopic != topic { return false }
        if let reason, letter.reason != reason { return false }
        if let key, letter.originalKey.map({ String(decoding: $0, as: UTF8.self) }) != key { return false }
        if let since, letter.failedAt < since { return false }
        return true
    }

    /// `2026-12-01T00:00:00Z`, or an age before `now`: `45s`, `30m`, `6h`, `2d`.
    static func parseSince(_ text: String, now: Date) throws -> Date {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0 {
            return now.addingTimeInterval(-amount * unit)
        }
        throw ReplayError("--since \(text): expected an ISO 8601 time or an age such as 30m, 6h, 2d")
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads the dead-letter topic up to its end and replays what matches, once each.
struct DeadLetterReplayer {
    static let ledger = "voc.replay"
    let connection: KafkaConnection
    let store: Store
    let logger: Logger

    struct Progress {
        var read: Int
        var total: Int
        var replayed: Int

        var bar: String {
            let width = 30
            let done = total == 0 ? width : min(width, read * width / total)
            return "[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done) + "] \(read)/\(total) read, \(replayed) replayed"
        }
    }

    struct Summary {
        var read = 0
        var matched = 0
        var replayedBefore = 0
        var replayed = 0
        var unreadable = 0
        var byTopic: [String: Int] = [:]

        func description(dryRun: Bool) -> String {
            var lines = ["dead letters read \(read), matching \(matched), replayed before \(replayedBefore), "
                         + (dryRun ? "would replay \(replayed)" : "replayed \(replayed)")
                         + (unreadable > 0 ? ", unreadable \(unreadable)" : "")]
            for (topic, count) in byTopic.sorted(by: { $0.key < $1.key }) { lines.append("  \(topic)\t\(count)") }
            return lines.joined(separator: "\n")
        }
    }

    func replay(filter: DeadLetterFilter, limit: Int?, dryRun: Bool, progress: (Progress) -> Void) async throws -> Summary {
        let records = try await TopicReader(connection: connection, logger: logger).records(Topic.deadLetter.rawValue)
        var summary = Summary()
        let producer = dryRun ? nil : try KafkaProducer(configuration: connection.producer(clientID: "voc-replay"), logger: logger)
        for record in records {
            if let limit, summary.replayed >= limit { break }
            summary.read += 1
            if summary.read % 100 == 0 { progress(Progress(read: summary.read, total: records.count, replayed: summary.replayed)) }
            guard let letter = try? record.decode(DeadLetter.self).0, let value = letter.originalValue else {
                summary.unreadable += 1
                continue
            }
            guard filter.matches(letter) else { continue }
            summary.matched += 1
            let before = try await store.rows(
                "SELECT 1 FROM applied_events WHERE consumer = \(Self.ledger) AND event_id = \(letter.deadLetterId)", as: Int.self)
            if !before.isEmpty {
                summary.replayedBefore += 1
                continue
            }
            if let producer {
                let headers = letter.headers.compactMap { header in
                    Data(base64Encoded: header.value).map { KafkaHeader(name: header.name, value: Array($0)) }
                } + [KafkaHeader(name: DeadLetter.replayedFromHeader, string: letter.deadLetterId)]
                let receipt = try producer.enqueue(ProducerRecord(topic: letter.originalTopic, key: letter.originalKey, value: value,
                                                                  headers: headers))
                _ = try await receipt.delivered()
                // After the broker's acknowledgement: a crash just before this line
                // replays the letter again next time, which idempotent stages ignore.
                try await store.execute(
                    "INSERT INTO applied_events (consumer, event_id) VALUES (\(Self.ledger), \(letter.deadLetterId)) ON CONFLICT DO NOTHING")
            }
            summary.replayed += 1
            summary.byTopic[letter.originalTopic, default: 0] += 1
        }
        progress(Progress(read: summary.read, total: records.count, replayed: summary.replayed))
        return summary
    }
}
