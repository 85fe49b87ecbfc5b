import Foundation
import Logging
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc.notification.requested.v1` → delivery → `voc.notification.delivered.v1`.
///
/// A polled batch is taken in ``prepareBatch(_:)``: decoded, fanned out to department
/// members, rendered, then claimed in the ledger with its jobs, inbox items and outcomes
/// in one transaction (``NotifyBatch``). ``handle(_:)`` hands each record what that
/// transaction decided: its outcomes to publish, or the reason it is dead-lettered (a
/// record that does not decode, or whose template cannot render, writes nothing). Network
/// deliveries wait in `notify_jobs` for the ``Dispatcher``, which is woken on commit.
final class NotifyStage: StageHandler, Sendable {
    static let stageName = "notify"
    let batch: NotifyBatch
    let recipients: RecipientRepository
    let templates: TemplateBook
    let roster: HotReloaded<DepartmentRoster>?
    let publisher: EventPublisher
    /// Called after a transaction that stored jobs commits.
    let committed: @Sendable () -> Void
    private let decided = Mutex<[RecordPosition: Decision]>([:])

    private enum Decision: Sendable {
        case publish([EncodedEvent])
        case invalid(String)
    }

    init(batch: NotifyBatch, recipients: RecipientRepository, templates: TemplateBook, roster: HotReloaded<DepartmentRoster>?,
         publisher: EventPublisher, committed: @escaping @Sendable () -> Void) {
        self.batch = batch
        self.recipients = recipients
        self.templates = templates
        self.roster = roster
        self.publisher = publisher
        self.committed = committed
    }

    func prepareBatch(_ records: [ConsumerRecord]) async throws {
        let decisions = try await take(records)
        decided.withLock { $0 = decisions }
    }

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let position = RecordPosition(record)
        var decision = decided.withLock { $0[position] }
        if decision == nil {
            // Outside a polled batch (or one that lost its decisions): taken on its own.
            decision = try await take([record])[position]
        }
        switch decision {
        case .publish(let events)?: return events
        case .invalid(let reason)?: throw StageError.invalid(reason)
        case nil: return []
        }
    }

    func finishBatch() async throws {
        decided.withLock { $0 = [:] }
    }

    /// Everything a batch of records comes to, decided in one transaction.
    private func take(_ records: [ConsumerRecord]) async throws -> [RecordPosition: Decision] {
        var decisions: [RecordPosition: Decision] = [:]
        var taken: [(record: ConsumerRecord, traceparent: String, requests: [NotificationRequested], nobody: String?)] = []
        let roster = roster?.current()
        for record in records {
            do {
                let (request, _) = try record.decode(NotificationRequested.self)
                let traceparent = TraceContext.child(of: record.header("traceparent"))
                switch FanOut.expand(request, roster: roster) {
                case .requests(let requests): taken.append((record, traceparent, requests, nil))
                case .nobody(let reason): taken.append((record, traceparent, [request], reason))
                }
            } catch {
                decisions[RecordPosition(record)] = .invalid("\(error)")
            }
        }
        let found = try await recipients.find(taken.flatMap { $0.requests.map(\.recipient.id) })
        // Rendered before anything is written, so a template that cannot render leaves no
        // trace but the dead letter, for every member of a department alike.
        var deliveries: [NotifyBatch.Delivery] = []
        var owners: [Int] = []
        for (index, item) in taken.enumerated() {
            do {
                var rendered: [NotifyBatch.Delivery] = []
                for request in item.requests {
                    let recipient = item.nobody == nil ? found[request.recipient.id] : nil
                    let message = try recipient.map { recipient in
                        try templates.render(
                            MessageContext(title: request.title, body: request.body, kind: request.kind ?? "generic",
                                           urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId,
                                           recipientName: recipient.name),
                            language: recipient.language)
                    }
                    rendered.append(NotifyBatch.Delivery(request: request, recipient: recipient, message: message,
                                                         missing: item.nobody, record: item.record, traceparent: item.traceparent))
                }
                deliveries += rendered
                owners += Array(repeating: index, count: rendered.count)
            } catch {
                decisions[RecordPosition(item.record)] = .invalid("\(error)")
            }
        }
        let result = try await batch.store.transaction { transaction in
            try await batch.apply(deliveries, at: Date(), in: transaction)
        }
        if result.jobsAdded { committed() }
        var events: [Int: [EncodedEvent]] = [:]
        for (delivery, outcome) in zip(deliveries.indices, result.outcomes) {
            guard let outcome else { continue }
            let item = deliveries[delivery]
            events[owners[delivery], default: []].append(
                try publisher.encode(outcome, traceparent: item.traceparent, key: Array(outcome.recipientId.utf8)))
        }
        for (index, item) in taken.enumerated() where decisions[RecordPosition(item.record)] == nil {
            decisions[RecordPosition(item.record)] = .publish(events[index] ?? [])
        }
        return decisions
    }
}

/// Where a record sits in its topic.
struct RecordPosition: Hashable, Sendable {
    var topic: String
    var partition: Int32
    var offset: Int64

    init(_ record: ConsumerRecord) {
        topic = record.topic
        partition = record.partition
        offset = record.offset
    }
}
