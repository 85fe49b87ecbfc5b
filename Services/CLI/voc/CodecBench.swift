import ArgumentParser
import Foundation
import Logging
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc bench codec`: where an ingested interaction's CPU goes, without HTTP: JSON
/// decoding of the gateway's line, validation, CloudEvents encoding and, with
/// `--produce`, the producer and the embedded broker.
struct CodecBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codec", abstract: "Per-interaction cost of decode, validate and encode.")

    @Option(help: "Interactions per phase.")
    var count: Int = 100_000

    @Flag(help: "Also produce the encoded events through the embedded broker, 1000 per batch receipt.")
    var produce = false

    @Option(name: .customLong("producer-property"), help: "A librdkafka producer property (name=value) for the produce phase.")
    var producerProperties: [String] = []

    @Option(help: "Events per batch receipt when producing.")
    var batchSize = 1_000

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let lines = (0..<1_000).map { index in
            Array(String(format: #"{"customerId":"C%07d","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}"#, index).utf8)
        }
        let now = Date()
        var submissions: [InteractionSubmission] = []
        let decode = try measure { index in submissions.append(try InteractionSubmission.scanOrDecode(from: lines[index % lines.count])) }
        var events: [InteractionReceived] = []
        let validate = try measure { index in
            events.append(try submissions[index].validated(interactionId: UUIDText.random(), gatewayId: "bench", receivedAt: now))
        }
        var bytes = 0
        // A batch request shares one trace context among its lines, as ingest does.
        var traceparent = TraceContext.newTraceparent()
        let encode = try measure { index in
            if index % 1_000 == 0 { traceparent = TraceContext.newTraceparent() }
            bytes += try EventCodec.encode(events[index], source: "/voc/ingest", traceparent: traceparent).value.count
        }
        var encoded: [ProducerRecord] = []
        encoded.reserveCapacity(count)
        let records = try measure { index in
            encoded.append(try EventCodec.encode(events[index], source: "/voc/ingest", traceparent: traceparent).record)
        }
        // What a batch line costs on ingest's single pass: from the line's bytes to the
        // event's JSON, and on into a batch of records, a thousand per batch as a request.
        var transcoder = InteractionTranscoder(gatewayId: "bench", receivedAt: now)
        let transcode = try measure { index in
            let accepted = lines[index % lines.count].withUnsafeBufferPointer { transcoder.transcode($0, interactionId: UUIDText.random) }
            guard accepted != nil else { throw ValidationError("line \(index % lines.count) left the single pass") }
        }
        func newBatch() -> CloudEventBatch {
            CloudEventBatch(InteractionReceived.self, source: "/voc/ingest", traceparent: TraceContext.newTraceparent(),
                            events: batchSize, bytes: batchSize * 600)
        }
        // A request's batch lives until its records are handed over; the batches are
        // kept here only when they are to be produced next.
        var batches: [CloudEventBatch] = []
        func singlePass(keeping: Bool) throws -> Double {
            var batch = newBatch()
            return try measure { index in
                guard let accepted = lines[index % lines.count].withUnsafeBufferPointer({ transcoder.transcode($0, interactionId: UUIDText.random) })
                else { throw ValidationError("line \(index % lines.count) left the single pass") }
                transcoder.withOutput { output in
                    batch.append(from: output, json: accepted.json, subject: accepted.customerIdText, id: accepted.interactionIdText,
                                 time: accepted.occurredAtText)
                }
                if batch.count == batchSize || index == count - 1 {
                    if keeping { batches.append(batch) }
                    batch = newBatch()
                }
            }
        }
        let single = try singlePass(keeping: false)
        if produce { _ = try singlePass(keeping: true) }
        let produced = produce ? try await measureProduce(encoded) : nil
        let producedBatches = produce ? try await measureProduce(batches: batches) : nil
        print("""
            Codec cost per interaction (\(count) each, one core, release build):
              decode the gateway's JSON   \(format(decode))
              validate into the event     \(format(validate))
              encode as a CloudEvent      \(format(encode))   (\(bytes / count) bytes of payload)
              sum                         \(format(decode + validate + encode))  → \(Int(Double(count) / (decode + validate + encode))) interactions/s
              encode into a Kafka record  \(format(records))   (all \(count) kept, as a batch keeps its records until acknowledged)
            Single pass, as ingest takes a common batch line:
              line → event JSON           \(format(transcode))
              line → record in a batch    \(format(single))   (\(batchSize) per batch)  → \(Int(Double(count) / single)) interactions/s
            """)
        if let produced {
            print("""
                  produce through the embedded broker, acks=all, \(batchSize) per receipt (producer, poll thread and broker)
                    wall                      \(format(produced.wall))
                    CPU                       \(format(produced.cpu))
                """)
        }
        if let producedBatches {
            print("""
                  produce the single pass's record batches, \(batchSize) per batch and receipt
                    wall                      \(format(producedBatches.wall))
                    CPU                       \(format(producedBatches.cpu))
                    of which handing over     \(format(producedBatches.enqueue))   (wall time in enqueue, on the caller's thread)
                """)
        }
    }

    private func measureProduce(batches: [CloudEventBatch]) async throws -> (wall: Double, cpu: Double, enqueue: Double) {
        let (producer, broker) = try startProducer()
        let publisher = EventPublisher(producer: producer, source: "/voc/ingest")
        _ = await publisher.enqueue(batches[0]).receipt.delivered()  // metadata and producer id
        let cpu = CPUTime.now()
        let start = ContinuousClock.now
        var failed = 0
        var enqueueing = Duration.zero
        for batch in batches {
            let handing = ContinuousClock.now
            let (receipt, refused) = publisher.enqueue(batch)
            enqueueing += ContinuousClock.now - handing
            failed += refused.count + (await receipt.delivered()).count
        }
        let elapsed = ContinuousClock.now - start
        let spent = CPUTime.now() - cpu
        withExtendedLifetime(broker) {}
        if failed > 0 { throw ValidationError("\(failed) events were not delivered") }
        return (seconds(elapsed), spent.process, seconds(enqueueing))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func startProducer() throws -> (KafkaProducer, EmbeddedBroker) {
        let logger = Logger(label: "voc-bench")
        let broker = try EmbeddedBroker(brokers: 3, logger: logger)
        try broker.createPipelineTopics()
        var properties: [String: String] = [:]
        for property in producerProperties {
            let parts = property.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { properties[parts[0]] = parts[1] }
        }
        var configuration = KafkaProducerConfiguration(bootstrapServers: broker.bootstrap)
        configuration.properties = properties
        return (try KafkaProducer(configuration: configuration, logger: logger), broker)
    }

    private func measureProduce(_ events: [ProducerRecord]) async throws -> (wall: Double, cpu: Double) {
        let (producer, broker) = try startProducer()
        defer { withExtendedLifetime(broker) {} }
        let publisher = EventPublisher(producer: producer, source: "/voc/ingest")
        _ = try await producer.enqueue(events[0]).delivered()  // metadata and producer id
        let cpu = CPUTime.now()
        let start = ContinuousClock.now
        var failed = 0
        for first in stride(from: 0, to: events.count, by: batchSize) {
            let (receipt, refused) = publisher.enqueue(Array(events[first..<min(first + batchSize, events.count)]))
            failed += refused.count + (await receipt.delivered()).count
        }
        let elapsed = ContinuousClock.now - start
        let spent = CPUTime.now() - cpu
        if failed > 0 { throw ValidationError("\(failed) events were not delivered") }
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, spent.process)
    }

    private func measure(_ body: (Int) throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        for index in 0..<count { try body(index) }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func format(_ seconds: Double) -> String {
        String(format: "%.2f µs", seconds / Double(count) * 1e6)
    }
}
