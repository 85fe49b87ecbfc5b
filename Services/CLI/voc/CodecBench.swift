import ArgumentParser
import Foundation
import VOCSchema

/// `voc bench codec`: where an ingested interaction's CPU goes, without HTTP or Kafka:
/// JSON decoding of the gateway's line, validation, and CloudEvents encoding.
struct CodecBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codec", abstract: "Per-interaction cost of decode, validate and encode.")

    @Option(help: "Interactions per phase.")
    var count: Int = 100_000

    func run() throws {
        let lines = (0..<1_000).map { index in
            Array(String(format: #"{"customerId":"C%07d","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}"#, index).utf8)
        }
        let now = Date()
        var submissions: [InteractionSubmission] = []
        let decode = try measure { index in submissions.append(try InteractionSubmission.decode(from: lines[index % lines.count])) }
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
        print("""
            Codec cost per interaction (\(count) each, one core, release build):
              decode the gateway's JSON   \(format(decode))
              validate into the event     \(format(validate))
              encode as a CloudEvent      \(format(encode))   (\(bytes / count) bytes of payload)
              sum                         \(format(decode + validate + encode))  → \(Int(Double(count) / (decode + validate + encode))) interactions/s
            """)
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
