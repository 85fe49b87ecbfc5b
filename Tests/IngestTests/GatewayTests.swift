import Crypto
import Foundation
import Logging
import Testing
import VOCBlob
import VOCFastJSON
import VOCSchema
@testable import Ingest

@Suite("Gateway keys and rate limits")
struct GatewayTests {
    func gateway(rate: Double, burst: Double) -> GatewayIdentity {
        GatewayIdentity(id: "g-\(UUID().uuidString)", channels: [.chat], customers: false, ratePerSecond: rate, burst: burst)
    }

    @Test("a bucket allows its burst, then refills at its rate")
    func tokenBucket() {
        let limiter = RateLimiter()
        let gateway = gateway(rate: 10, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in limiter.admit(gateway, now: start) } == [.allowed, .allowed, .allowed])
        #expect(limiter.admit(gateway, now: start) == .limited(retryAfter: 1))
        #expect(limiter.admit(gateway, now: start + .milliseconds(100)) == .allowed)
        #expect(limiter.admit(gateway, now: start + .milliseconds(100)) == .limited(retryAfter: 1))
        // A batch costs one token per interaction; a batch larger than the burst waits for
        // enough tokens rather than being refused for ever.
        #expect(limiter.admit(gateway, cost: 50, now: start + .seconds(10)) == .allowed)
        #expect(limiter.admit(gateway, cost: 50, now: start + .seconds(10)) == .limited(retryAfter: 5))
    }

    @Test("rate 0 means unlimited")
    func unlimited() {
        let limiter = RateLimiter()
        let open = gateway(rate: 0, burst: 0)
        #expect((0..<1000).allSatisfy { _ in limiter.admit(open) == .allowed })
    }

    @Test("issued keys are stored hashed, identify their gateway, and a changed file is reloaded")
    func keysFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try GatewayKeyFile.addGateway("hotline", channels: ["hotline_call"], customers: false, ratePerSecond: 50, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(key))
        #expect(text.contains(Array(SHA256.hash(data: Data(key.utf8))).hexString))

        let keyring = try GatewayKeyring(path: path, defaultRate: 1, defaultBurst: 2, logger: Logger(label: "test"))
        let identity = try #require(keyring.identify(key: key))
        #expect(identity.id == "hotline" && identity.channels == [.hotlineCall] && identity.ratePerSecond == 50)
        #expect(keyring.identify(key: key + "x") == nil)

        #expect(throws: ValidationError.self) {
            try GatewayKeyFile.addGateway("hotline", channels: [], customers: false, ratePerSecond: nil, to: path)
        }
        #expect(throws: ValidationError.self) {
            try GatewayKeyFile.addGateway("fax", channels: ["fax"], customers: false, ratePerSecond: nil, to: path)
        }
        // A second gateway appears without a restart.
        Thread.sleep(forTimeInterval: 1.1)
        let crm = try GatewayKeyFile.addGateway("crm", channels: [], customers: true, ratePerSecond: nil, to: path)
        let reloaded = try #require(keyring.identify(key: crm))
        #expect(reloaded.customers && reloaded.channels.isEmpty && reloaded.ratePerSecond == 1)

        // Rotation: a second key with the first one's permissions; both work until the old entry goes.
        #expect(throws: ValidationError.self) {
            try GatewayKeyFile.addGateway("fax", channels: [], customers: false, ratePerSecond: nil, rotating: true, to: path)
        }
        Thread.sleep(forTimeInterval: 1.1)
        let rotated = try GatewayKeyFile.addGateway("hotline", channels: [], customers: true, ratePerSecond: nil, rotating: true, to: path)
        let second = try #require(keyring.identify(key: rotated))
        #expect(second.id == "hotline" && second.channels == [.hotlineCall] && second.ratePerSecond == 50 && !second.customers)
        #expect(keyring.identify(key: key)?.id == "hotline")
    }

    @Test("a keys file with bad entries names them")
    func badKeysFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"gateways":[{"id":"a","keySha256":"xyz","channels":["chat","fax"]}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)  // refused unless private
        do {
            _ = try GatewayKeyring(path: path, defaultRate: 1, defaultBurst: 1, logger: Logger(label: "test"))
            Issue.record("an invalid keys file was accepted")
        } catch let error as ValidationError {
            #expect(Set(error.problems.map(\.field)) == ["gateways[0].keySha256", "gateways[0].channels"])
        }
    }

    @Test("presented keys come from Authorization: Bearer or X-Api-Key")
    func presentedKeys() {
        #expect(GatewayAuthMiddleware.presentedKey([.authorization: "Bearer abc"]) == "abc")
        #expect(GatewayAuthMiddleware.presentedKey([.authorization: "bearer  abc "]) == "abc")
        #expect(GatewayAuthMiddleware.presentedKey([.authorization: "Basic abc"]) == nil)
        #expect(GatewayAuthMiddleware.presentedKey([.apiKey: "k"]) == "k")
        #expect(GatewayAuthMiddleware.presentedKey([:]) == nil)
    }

    @Test("batch bodies split into numbered non-blank lines")
    func ndjsonLines() {
        func split(_ text: String) -> [(Int, String)] {
            let body = Array(text.utf8)
            return InteractionController.lines(body).map { ($0.0, String(decoding: body[$0.1], as: UTF8.self)) }
        }
        let lines = split("{\"a\":1}\r\n\n  \n{\"b\":2}")
        #expect(lines.map(\.0) == [1, 4])
        #expect(lines.map(\.1) == ["{\"a\":1}", "{\"b\":2}"])
        // As splitting at every newline and trimming each line's end: compared on
        // random bodies of the bytes that matter.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in "\n\r \tab".randomElement(using: &generator)! })
            var expected: [(Int, String)] = []
            for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                var slice = line
                while let last = slice.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                    slice = slice.dropLast()
                }
                if !slice.isEmpty { expected.append((index + 1, String(decoding: slice, as: UTF8.self))) }
            }
            let got = split(text)
            #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(Array(text.utf8))")
        }
    }

    @Test("a batch answer is written byte for byte as JSONEncoder writes it")
    func batchAnswerBytes() throws {
        let result = InteractionController.BatchResult(accepted: 1, rejected: 3, results: [
            .init(line: 1, status: 202, interactionId: "0b7e4a9c-1d2f-4e5a-8b6c-7d8e9f0a1b2c"),
            .init(line: 2, status: 422, title: "Invalid interaction", errors: [
                FieldProblem(field: "channel", problem: "must be one of hotline_call, … (got \"fax\")"),
                FieldProblem(field: "utterances[0].text", problem: "must not be blank"),
            ]),
            .init(line: 4, status: 403, title: "Forbidden", errors: []),
            .init(line: 5, status: 503, title: "delivering to voc.interaction.received.v1: Local: Message timed out\n\t\\"),
        ])
        #expect(result.jsonBytes == Array(try JSONCoding.encoder().encode(result)))
    }
}
