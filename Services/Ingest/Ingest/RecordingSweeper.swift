import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VOCBlob
import VOCRuntime
import VOCSchema

/// Finishes what a crash or an outage left half done, so that there is never an orphan
/// blob nor an event without its blob:
/// - `storing` rows (bytes may be partly written, no event yet): the blob is deleted;
/// - `stored` rows (blob complete, event maybe not acknowledged): the event is
///   published, with its original id, so consumers that saw it already ignore it;
/// - announcements whose upload window passed, expired idempotency answers, and spool
///   files no request is writing any more are removed.
struct RecordingSweeper: Service {
    let ledger: RecordingLedger
    let idempotency: IdempotencyStore
    let blobs: any BlobStore
    let publisher: EventPublisher
    let configuration: IngestConfiguration
    let logger: Logger

    struct Report: Equatable, Sendable {
        var orphansDeleted = 0
        var republished = 0
        var expired = 0
        var idempotencyExpired = 0
        var spoolFilesDeleted = 0
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await sweep()
                    if report != Report() {
                        logger.info("sweep finished unfinished uploads", metadata: [
                            "orphansDeleted": "\(report.orphansDeleted)", "republished": "\(report.republished)",
                            "expired": "\(report.expired)", "spoolFilesDeleted": "\(report.spoolFilesDeleted)",
                        ])
                    }
                } catch {
                    logger.warning("sweep failed; trying again next round", metadata: [LogKey.error: "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .seconds(configuration.sweepIntervalSeconds))
            }
        }
    }

    /// One round. - Throws: when PostgreSQL is unreachable.
    func sweep() async throws -> Report {
        var report = Report()
        let storedGrace = max(5, 2 * configuration.deliveryTimeoutMs / 1000)
        for row in try await ledger.stale(storingGraceSeconds: configuration.sweepGraceSeconds, storedGraceSeconds: storedGrace) {
            switch row.state {
            case .storing:
                if let uri = row.blobURI {
                    do {
                        try await blobs.delete(uri)
                    } catch {
                        logger.warning("could not delete an orphan blob", metadata: ["uri": "\(uri)", LogKey.error: "\(error)"])
                        continue
                    }
                }
                try await ledger.abandon(interactionId: row.interactionId, backTo: nil)
                report.orphansDeleted += 1
            case .stored:
                do {
                    try await publisher.publish(row.event)
                } catch {
                    logger.warning("broker still unavailable for a stored recording", metadata: [LogKey.error: "\(error)"])
                    continue
                }
                try await ledger.markPublished(interactionId: row.interactionId)
                report.republished += 1
            case .awaitingAudio:
                try await ledger.abandon(interactionId: row.interactionId, backTo: nil)
                report.expired += 1
            case .published:
                break
            }
        }
        report.idempotencyExpired = try await idempotency.sweep()
        try await ledger.forgetPublished(olderThanSeconds: configuration.idempotencyTTLSeconds)
        report.spoolFilesDeleted = sweepSpool()
        Counter(label: "voc_ingest_sweeper_orphans_deleted_total").increment(by: report.orphansDeleted)
        Counter(label: "voc_ingest_sweeper_republished_total").increment(by: report.republished)
        return report
    }

    private func sweepSpool() -> Int {
        let folder = blobs.spoolDirectory
        let cutoff = Date().addingTimeInterval(-TimeInterval(configuration.sweepGraceSeconds))
        var deleted = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".part") {
            let path = (folder as NSString).appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            if let modified, modified < cutoff, (try? FileManager.default.removeItem(atPath: path)) != nil { deleted += 1 }
        }
        return deleted
    }
}
