import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Transcribe
import VOCSchema

/// `voc demo`: feeds a realistic day into a running `voc up` through the ingest API, as
/// the CRM and the channel gateways would.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feed a made-up day of a service centre (customers, text contacts, recorded calls) into a running pipeline.")

    @Option(help: "Ingest base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "Read API base URL (the projector), for the hint printed at the end.")
    var readURL = "http://127.0.0.1:8081"

    @Option(help: "Gateway key (default: the dev key `voc up` keeps in DIR/gateway-key).")
    var key: String?

    @Option(help: "Folder of `voc up` (for the dev key).")
    var dir = ".voc"

    @Option(help: "Customers (each with an advisor and a relationship manager).")
    var customers = 40

    @Option(help: "Text contacts (chat, app feedback, e-mail, hotline notes, video notes, advisor notes).")
    var interactions = 300

    @Option(help: "Recorded calls synthesised with espeak-ng (0 for text only).")
    var recordings = 3

    @Option(help: "Requests in flight at once.")
    var concurrency = 8

    func validate() throws {
        guard customers > 0, interactions >= 0, recordings >= 0, concurrency > 0 else {
            throw ValidationError("--customers and --concurrency must be positive; --interactions and --recordings not negative")
        }
    }

    func run() async throws {
        let gatewayKey = try key ?? String(contentsOfFile: "\(dir)/gateway-key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let day = DemoDay(customers: customers, interactions: interactions, recordings: recordings, end: Date())
        let client = DemoClient(baseURL: url, key: gatewayKey)
        var outcome = DemoOutcome()

        for customer in day.customers {
            let body: [String: Any] = [
                "advisorId": customer.advisorId, "relationshipManagerId": customer.relationshipManagerId,
                "businessLine": customer.businessLine,
                "consents": ["marketing": true, "recording": true, "sensitiveProfile": customer.sensitiveProfile],
            ]
            outcome.record("customers", try await client.send(.PUT, "/v1/customers/\(customer.id)", json: body))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-demo-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        try await withThrowingTaskGroup(of: (String, UInt).self) { tasks in
            var inFlight = 0
            for (index, contact) in day.contacts.enumerated() {
                if inFlight == concurrency, let (kind, status) = try await tasks.next() {
                    outcome.record(kind, status)
                    inFlight -= 1
                }
                let metadata: [String: Any] = [
                    "customerId": contact.customer.id, "channel": contact.channel.rawValue,
                    "businessLine": contact.customer.businessLine, "language": contact.language,
                    "occurredAt": ISO8601DateFormatter().string(from: contact.occurredAt),
                    "externalId": "demo-\(index)",
                    "agentId": contact.channel == .advisorCall ? contact.customer.advisorId : "AGENT-\(index % 9 + 1)",
                ]
                if let turns = contact.call {
                    let call = try SyntheticCall.make(in: folder, turns: turns, name: "call\(index)")
                    let audio = try Data(contentsOf: URL(fileURLWithPath: call.path))
                    tasks.addTask { ("recordings", try await client.upload(metadata: metadata, audio: audio)) }
                } else {
                    var body = metadata
                    body["text"] = contact.text
                    tasks.addTask { ("texts", try await client.send(.POST, "/v1/interactions", json: body)) }
                }
                inFlight += 1
            }
            for try await (kind, status) in tasks { outcome.record(kind, status) }
        }
        print(outcome.summary)
        print("""
            Watch it flow:  voc tail insight --from-beginning --pretty
                            voc lag
            A customer:     curl -H "Authorization: Bearer $(voc token create --subject me --role manager)" \\
                                 \(readURL)/v1/customers/\(day.customers[0].id)/timeline
            """)
        if outcome.failed > 0 { throw ExitCode.failure }
    }
}

/// Counts of answers per kind of request.
struct DemoOutcome {
    var answers: [String: [UInt: Int]] = [:]
    var failed: Int { answers.values.reduce(0) { $0 + $1.filter { $0.key != 202 }.values.reduce(0, +) } }

    mutating func record(_ kind: String, _ status: UInt) {
        answers[kind, default: [:]][status, default: 0] += 1
    }

    var summary: String {
        answers.keys.sorted().map { kind in
            let statuses = answers[kind]!.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            return "\(kind): \(statuses)"
        }.joined(separator: "\n")
    }
}

/// The ingest API through AsyncHTTPClient, retrying `429`/`503` with the same
/// idempotency key after the server's `Retry-After`.
struct DemoClient: Sendable {
    let baseURL: String
    let key: String

    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]) async throws -> UInt {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await execute(method, path, body: body, contentType: "application/json").status
    }

    func upload(metadata: [String: Any], audio: Data) async throws -> UInt {
        try await uploadAnswer(metadata: metadata, audio: audio).status
    }

    /// The answer's status and, when ingest accepted it, the interaction's id.
    func uploadAnswer(metadata: [String: Any], audio: Data) async throws -> (status: UInt, interactionId: String?) {
        let boundary = "voc-demo-\(UUID().uuidString)"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n".utf8))
        body.append(try JSONSerialization.data(withJSONObject: metadata))
        body.append(Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"call.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8))
        body.append(audio)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let (status, answer) = try await execute(.POST, "/v1/interactions", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: answer)) as? [String: Any]
        return (status, status == 202 ? object?["interactionId"] as? String : nil)
    }

    private func execute(_ method: HTTPMethod, _ path: String, body: Data, contentType: String) async throws -> (status: UInt, answer: ByteBuffer) {
        let idempotencyKey = UUID().uuidString
        for attempt in 1...5 {
            var request = HTTPClientRequest(url: baseURL + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: contentType)
            request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let answer = try await response.body.collect(upTo: 1 << 20)
            let status = response.status.code
            if [429, 503].contains(status), attempt < 5 {
                try await Task.sleep(for: .seconds(Int(response.headers.first(name: "Retry-After") ?? "1") ?? 1))
                continue
            }
            if status != 202 {
                FileHandle.standardError.write(Data("\(method) \(path): \(status) \(String(buffer: answer))\n".utf8))
            }
            return (status, answer)
        }
        return (503, ByteBuffer())
    }
}
