import Foundation
import Projector
import Testing

@Suite("Read tokens")
struct ReadTokenTests {
    static let key = try! ReadTokenKey(secret: String(repeating: "s", count: 32))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a signed token verifies to its claims")
    func roundTrip() throws {
        let token = ReadToken(subject: "adv-1", role: .advisor, sensitive: true, expiresAt: Self.now.addingTimeInterval(600),
                              issuedAt: Self.now)
        let verified = try Self.key.verify(try Self.key.sign(token), now: Self.now)
        #expect(verified == token)
    }

    @Test("refused: another secret, an altered payload, alg none, expired, not yet valid, wrong issuer, staff without department")
    func refusals() throws {
        let claims = ReadToken(subject: "adv-1", role: .advisor, expiresAt: Self.now.addingTimeInterval(600))
        let good = try Self.key.sign(claims)
        let other = try ReadTokenKey(secret: String(repeating: "t", count: 32))
        #expect(throws: ReadTokenError.self) { try Self.key.verify(try other.sign(claims), now: Self.now) }
        // The payload of a manager token with the advisor token's signature.
        let manager = try Self.key.sign(ReadToken(subject: "adv-1", role: .manager, expiresAt: Self.now.addingTimeInterval(600)))
        let parts = good.split(separator: ".")
        let spliced = [parts[0], manager.split(separator: ".")[1], parts[2]].joined(separator: ".")
        #expect(throws: ReadTokenError.self) { try Self.key.verify(spliced, now: Self.now) }
        let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + "."
        #expect(throws: ReadTokenError.self) { try Self.key.verify(none, now: Self.now) }
        #expect(throws: ReadTokenError.self) { try Self.key.verify(good, now: Self.now.addingTimeInterval(3600)) }
        let later = try Self.key.sign(ReadToken(subject: "a", role: .advisor, expiresAt: Self.now.addingTimeInterval(7200),
                                                notBefore: Self.now.addingTimeInterval(3600)))
        #expect(throws: ReadTokenError.self) { try Self.key.verify(later, now: Self.now) }
        let foreign = try Self.key.sign(ReadToken(issuer: "someone", subject: "a", role: .admin, expiresAt: Self.now.addingTimeInterval(60)))
        #expect(throws: ReadTokenError.self) { try Self.key.verify(foreign, now: Self.now) }
        let staff = try Self.key.sign(ReadToken(subject: "s", role: .departmentStaff, expiresAt: Self.now.addingTimeInterval(60)))
        #expect(throws: ReadTokenError.self) { try Self.key.verify(staff, now: Self.now) }
        #expect(throws: ReadTokenError.self) { try ReadTokenKey(secret: "short") }
        // The good one still passes, so the refusals above are about what was changed.
        #expect(try Self.key.verify(good, now: Self.now).subject == "adv-1")
    }
}
