import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Every outbound HTTP call of the stage goes through one AsyncHTTPClient on NIO's shared
/// event loops: waiting on a slow receiver holds no thread. Connections are pooled per
/// host and kept open between deliveries (up to 32 a host, which may serve several
/// endpoints' lanes), so a busy endpoint is not paying a TCP handshake per message.
final class OutboundHTTP: Sendable {
    let client: HTTPClient
    let timeout: Duration

    init(timeout: Duration) {
        let amount = TimeAmount.milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        var configuration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: amount, read: amount),
            connectionPool: HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32))
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// What came back from one POST.
    enum Exchange: Sendable {
        case answered(status: Int, answer: String, retryAfter: Duration?)
        /// No answer: the verdict on the attempt (a timeout or refused connection is transient).
        case unanswered(Attempt)
    }

    /// POSTs `body` and reads at most 64 KiB of the answer.
    func send(_ url: String, headers: [(String, String)], body: [UInt8]) async -> Exchange {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1000 + 500)))
            let buffer = try await response.body.collect(upTo: 64 * 1024)
            let answer = String(buffer: buffer).clipped()
            return .answered(status: Int(response.status.code), answer: answer,
                             retryAfter: Attempt.retryAfter(response.headers.first(name: "retry-after")))
        } catch let error as HTTPClientError where error == .invalidURL || error == .emptyHost {
            return .unanswered(.permanent("bad receiver URL: \(error)"))
        } catch {
            return .unanswered(.transient("no answer from the receiver: \(error)"))
        }
    }
}
