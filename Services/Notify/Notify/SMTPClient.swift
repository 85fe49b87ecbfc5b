import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// An SMTP submission client on SwiftNIO: EHLO, STARTTLS and AUTH PLAIN when configured,
/// one message per connection. Replies are read line by line from the channel.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    /// The whole conversation, connect to QUIT: a relay that stops answering is a
    /// transient failure, not a lane held forever.
    let timeout: Duration

    struct Reply: Sendable {
        var code: Int
        var text: String
    }

    /// Sends one message; a 4xx reply or a lost connection is transient, a 5xx permanent.
    func send(to address: String, message: [UInt8]) async -> Attempt {
        guard let host = settings.host else { return .permanent("no SMTP relay configured (notify.smtp.host)") }
        let lines = AsyncStream<String>.makeStream()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LineReader(lines.continuation)) }
                }
                .connect(host: host, port: settings.port).get()
        } catch {
            return .transient("SMTP relay \(host):\(settings.port) unreachable: \(error)")
        }
        defer { channel.close(promise: nil) }
        let timeout = timeout
        return await withTaskGroup(of: Attempt?.self) { group in
            group.addTask { await self.converse(channel: channel, host: host, replies: lines.stream, to: address, message: message) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            // Closing the channel ends the reply stream, so a conversation still waiting returns.
            channel.close(promise: nil)
            return first ?? .transient("SMTP relay \(host):\(settings.port) did not finish within \(timeout)")
        }
    }

    private func converse(channel: any Channel, host: String, replies: AsyncStream<String>, to address: String,
                          message: [UInt8]) async -> Attempt {
        var reader = replies.makeAsyncIterator()
        var last = Reply(code: 0, text: "")
        func read() async -> Reply? {
            var text: [String] = []
            while let line = await reader.next() {
                text.append(line)
                let bytes = Array(line.utf8)
                if bytes.count < 4 || bytes[3] != UInt8(ascii: "-") {
                    last = Reply(code: Int(line.prefix(3)) ?? 0, text: text.joined(separator: "\n"))
                    return last
                }
            }
            return nil
        }
        func command(_ text: String, expect: Int) async throws -> Reply {
            var buffer = channel.allocator.buffer(capacity: text.utf8.count + 2)
            buffer.writeString(text + "\r\n")
            try await channel.writeAndFlush(buffer).get()
            guard let reply = await read() else { throw SMTPFailure.closed }
            guard reply.code / 100 == expect / 100 else { throw SMTPFailure.refused(reply) }
            return reply
        }
        do {
            guard let greeting = await read(), greeting.code == 220 else { throw SMTPFailure.refused(last) }
            var ehlo = try await command("EHLO \(settings.heloName)", expect: 250)
            if settings.startTLS {
                _ = try await command("STARTTLS", expect: 220)
                // The TLS handler goes in front of the line reader, on the channel's own loop.
                try await channel.eventLoop.submit {
                    var tls = TLSConfiguration.makeClientConfiguration()
                    if let caFile = settings.caFile { tls.trustRoots = .file(caFile) }
                    let context = try NIOSSLContext(configuration: tls)
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: settings.serverName ?? host)
                    try channel.pipeline.syncOperations.addHandler(handler, position: .first)
                }.get()
                ehlo = try await command("EHLO \(settings.heloName)", expect: 250)
            }
            if let username = settings.username, let password = settings.password {
                guard ehlo.text.uppercased().contains("AUTH") else { throw SMTPFailure.refused(Reply(code: 530, text: "relay offers no AUTH")) }
                let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", expect: 235)
            }
            _ = try await command("MAIL FROM:<\(settings.from)>", expect: 250)
            _ = try await command("RCPT TO:<\(address)>", expect: 250)
            _ = try await command("DATA", expect: 354)
            var body = channel.allocator.buffer(capacity: message.count + 5)
            body.writeBytes(message)
            body.writeString("\r\n.\r\n")
            try await channel.writeAndFlush(body).get()
            guard let accepted = await read() else { throw SMTPFailure.closed }
            guard accepted.code == 250 else { throw SMTPFailure.refused(accepted) }
            var quit = channel.allocator.buffer(capacity: 6)
            quit.writeString("QUIT\r\n")
            try? await channel.writeAndFlush(quit).get()
            return Attempt(verdict: .delivered, status: accepted.code, answer: accepted.text.clipped())
        } catch SMTPFailure.refused(let reply) {
            let error = "SMTP relay refused: \(reply.code)"
            return reply.code >= 500 ? .permanent(error, status: reply.code, answer: reply.text.clipped())
                : .transient(error, status: reply.code, answer: reply.text.clipped())
        } catch {
            return .transient("SMTP conversation broke off: \(error)")
        }
    }

    enum SMTPFailure: Error {
        case closed
        case refused(Reply)
    }
}

/// Splits the relay's bytes into CRLF lines for the conversation.
private final class LineReader: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let continuation: AsyncStream<String>.Continuation
    private let pending = Mutex<[UInt8]>([])

    init(_ continuation: AsyncStream<String>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        pending.withLock { bytes in
            bytes += buffer.readableBytesView
            while let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(bytes[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                bytes.removeSubrange(...newline)
                continuation.yield(String(decoding: line, as: UTF8.self))
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}

/// The message itself: multipart/alternative text + HTML, UTF-8, the idempotency key as
/// `Message-ID` so a relay or mailbox can drop a repeat.
enum MailMessage {
    static func build(from: String, to: String, subject: String, text: String, html: String, messageId: String, date: Date) -> [UInt8] {
        let boundary = "voc-" + String(String.UnicodeScalarView(messageId.unicodeScalars.filter { $0.isASCII && CharacterSet.alphanumerics.contains($0) }.prefix(40)))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let lines = [
            "From: <\(from)>",
            "To: <\(to)>",
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageId)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            wrap(Data(text.utf8).base64EncodedString()),
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            wrap(Data(html.utf8).base64EncodedString()),
            "--\(boundary)--",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// A `Message-ID` local part from the key: only characters RFC 5322 allows there.
    static func messageId(idempotencyKey: String, domain: String) -> String {
        let safe = idempotencyKey.unicodeScalars.map { scalar -> String in
            (scalar.isASCII && CharacterSet.alphanumerics.contains(scalar)) || "-._".unicodeScalars.contains(scalar) ? String(scalar) : "_"
        }.joined()
        return "\(safe)@\(domain)"
    }

    private static func wrap(_ base64: String) -> String {
        var lines: [Substring] = []
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }
}
