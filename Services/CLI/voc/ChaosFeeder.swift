import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import VOCSchema

/// Sends interactions to ingest as a channel gateway does under faults: NDJSON batches at
/// a steady rate, each batch retried with its idempotency key until ingest answers it, so
/// a batch the broker or the network lost the answer of is neither dropped nor doubled.
final class ChaosFeeder: Sendable {
    static let batchSize = 100
    /// Customers the interactions are spread over (`CHAOS-C0` …).
    static let customers = 997
    let baseURL: String
    let key: String
    let total: Int
    let perSecond: Int
    let deadline: ContinuousClock.Instant
    /// The index of the first interaction: feeders on one stack with different
    /// ranges send different external ids, so none is taken for another's retry.
    let firstIndex: Int
    /// The interaction id of every line ingest answered `202`.
    let accepted = Mutex<Set<String>>([])
    let rejected = Mutex<[String]>([])
    let retries = Atomic<Int>(0)
    let sent = Atomic<Int>(0)

    init(baseURL: String, key: String, total: Int, perSecond: Int, deadline: ContinuousClock.Instant, firstIndex: Int = 0) {
        self.baseURL = baseURL
        self.firstIndex = firstIndex
        self.key = key
        self.total = total
        self.perSecond = perSecond
        self.deadline = deadline
    }

    /// Feeds every interaction; returns when each batch has its answer (or the deadline passed).
    func run(concurrency: Int = 8) async throws {
        let batches = (total + Self.batchSize - 1) / Self.batchSize
        let interval = Duration.seconds(Double(Self.batchSize) / Double(max(1, perSecond)))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            var inFlight = 0
            for batch in 0..<batches {
                try await Task.sleep(until: start + interval * batch, clock: .continuous)
                if inFlight == concurrency {
                    try await tasks.next()
                    inFlight -= 1
                }
                tasks.addTask { try await self.send(batch: batch) }
                inFlight += 1
            }
            try await tasks.waitForAll()
        }
    }

    /// A line answered `429` or `5xx` (the broker did not take it) is sent again in the
    /// batch's next attempt under a new key; its `externalId` keeps its interaction id.
    private func send(batch: Int) async throws {
        let first = firstIndex + batch * Self.batchSize
        var pending = Array(first..<min(firstIndex + total, first + Self.batchSize))
        var attempt = 0
        while !pending.isEmpty && ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: baseURL + "/v1/interactions:batch")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/x-ndjson")
            request.headers.add(name: "Idempotency-Key", value: "chaos-batch-\(first)-\(attempt)")
            request.body = .bytes(ByteBuffer(data: Data((pending.map(Self.line).joined(separator: "\n") + "\n").utf8)))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let answer = try await response.body.collect(upTo: 4 << 20)
                if response.status.code == 200 {
                    pending = try record(Data(buffer: answer), lines: pending)
                    if pending.isEmpty { return }
                    attempt += 1
                }
                // Other answers (503 when the broker took nothing) are retried as they are.
            } catch {
                // The answer was lost on the way: the same key gets the same answer.
            }
            retries.add(1, ordering: .relaxed)
            try await Task.sleep(for: .seconds(1))
        }
        if !pending.isEmpty { rejected.withLock { $0.append("batch \(batch): \(pending.count) lines unanswered by the deadline") } }
    }

    /// Records the accepted lines and returns those to send again.
    private func record(_ answer: Data, lines: [Int]) throws -> [Int] {
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
              let results = object["results"] as? [[String: Any]] else {
            return lines
        }
        var again: [Int] = []
        for result in results {
            guard let line = result["line"] as? Int, lines.indices.contains(line - 1) else { continue }
            let status = result["status"] as? Int ?? 0
            if status == 202, let id = result["interactionId"] as? String {
                accepted.withLock { _ = $0.insert(id) }
                sent.add(1, ordering: .relaxed)
            } else if status == 429 || status >= 500 {
                again.append(lines[line - 1])
            } else {
                rejected.withLock { $0.append("interaction \(lines[line - 1]): \(status) \(result["title"] ?? "")") }
            }
        }
        return again
    }

    static func customerId(_ index: Int) -> String { "CHAOS-C\(index % customers)" }

    /// Interaction `index`: a customer of 997, every channel, texts from the demo day.
    static func line(_ index: Int) -> String {
        let lines = DemoDay.businessLines
        let businessLine = lines[index % lines.count]
        let texts = DemoDay.texts[businessLine]!
        let (language, text) = texts[index * 7 % texts.count]
        let channels: [VOCSchema.Channel] = [.chat, .appFeedback, .email, .hotlineCall, .video, .advisorCall]
        let object: [String: Any] = [
            "customerId": customerId(index), "channel": channels[index % channels.count].rawValue,
            "businessLine": businessLine, "language": language, "externalId": "chaos-\(index)",
            "occurredAt": ISO8601DateFormatter().string(from: Date()), "text": text,
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
