import Crypto
import Foundation

/// Who may read what: the claims of a read-API bearer token.
///
/// The token is a JWT (RFC 7519) signed with HS256 and a secret the projector and the
/// issuer share (`voc token create`, or an SSO front). Its claims are documented in
/// docs/read-models.md and docs/read-openapi.yaml.
public struct ReadToken: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        case advisor
        case relationshipManager = "relationship_manager"
        case departmentStaff = "department_staff"
        case manager
        case admin
    }

    public var issuer: String
    public var subject: String
    public var role: Role
    /// Required for ``Role/departmentStaff``.
    public var department: String?
    /// May see sensitive profile facts (PIPL Art. 28: health).
    public var sensitive: Bool
    public var expiresAt: Date
    public var issuedAt: Date?
    public var notBefore: Date?

    public init(issuer: String = "voc", subject: String, role: Role, department: String? = nil, sensitive: Bool = false,
                expiresAt: Date, issuedAt: Date? = Date(), notBefore: Date? = nil) {
        self.issuer = issuer
        self.subject = subject
        self.role = role
        self.department = department
        self.sensitive = sensitive
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
    }

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", role, department, sensitive, expiresAt = "exp", issuedAt = "iat", notBefore = "nbf"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decode(String.self, forKey: .issuer)
        subject = try c.decode(String.self, forKey: .subject)
        role = try c.decode(Role.self, forKey: .role)
        department = try c.decodeIfPresent(String.self, forKey: .department)
        sensitive = try c.decodeIfPresent(Bool.self, forKey: .sensitive) ?? false
        expiresAt = Date(timeIntervalSince1970: try c.decode(Double.self, forKey: .expiresAt))
        issuedAt = try c.decodeIfPresent(Double.self, forKey: .issuedAt).map(Date.init(timeIntervalSince1970:))
        notBefore = try c.decodeIfPresent(Double.self, forKey: .notBefore).map(Date.init(timeIntervalSince1970:))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(subject, forKey: .subject)
        try c.encode(role, forKey: .role)
        try c.encodeIfPresent(department, forKey: .department)
        try c.encode(sensitive, forKey: .sensitive)
        try c.encode(Int64(expiresAt.timeIntervalSince1970.rounded(.down)), forKey: .expiresAt)
        try c.encodeIfPresent(issuedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, forKey: .issuedAt)
        try c.encodeIfPresent(notBefore.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, forKey: .notBefore)
    }
}

/// Signs and verifies read tokens with one HS256 secret.
public struct ReadTokenKey: Sendable {
    /// Shorter secrets are refused: HS256 wants at least the hash's 32 bytes.
    public static let minimumSecretBytes = 32
    /// Clock difference between issuer and projector that is forgiven.
    public static let leeway: TimeInterval = 30

    // The bytes, not a SymmetricKey: swift-crypto's key type is not Sendable.
    private let secret: [UInt8]
    public let issuer: String

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// - Throws: ``ReadTokenError`` for a secret shorter than ``minimumSecretBytes``.
    public init(secret: String, issuer: String = "voc") throws(ReadTokenError) {
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw ReadTokenError("projector.tokenSecret must be at least \(Self.minimumSecretBytes) bytes (got \(secret.utf8.count))")
        }
        self.secret = Array(secret.utf8)
        self.issuer = issuer
    }

    /// The compact JWT of `token`.
    public func sign(_ token: ReadToken) throws -> String {
        let header = Self.base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = Self.base64URL(Array(try encoder.encode(token)))
        let input = header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)
        return input + "." + Self.base64URL(Array(signature))
    }

    /// The claims of a token this key signed, still valid at `now`.
    /// - Throws: ``ReadTokenError`` saying what is wrong: the caller answers 401 with it.
    public func verify(_ compact: String, now: Date = Date()) throws(ReadTokenError) -> ReadToken {
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.unbase64URL(parts[0]), let payloadBytes = Self.unbase64URL(parts[1]),
              let signature = Self.unbase64URL(parts[2]) else {
            throw ReadTokenError("the token is not a compact JWT")
        }
        guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
              header["alg"] as? String == "HS256" else {
            throw ReadTokenError("the token is not signed with HS256")
        }
        let input = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        // Compared in constant time by swift-crypto.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key) else {
            throw ReadTokenError("the token's signature does not verify")
        }
        let token: ReadToken
        do {
            token = try JSONDecoder().decode(ReadToken.self, from: Data(payloadBytes))
        } catch {
            throw ReadTokenError("the token's claims are incomplete: iss, sub, role and exp are required, role one of "
                                 + ReadToken.Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard token.issuer == issuer else { throw ReadTokenError("the token was issued by \(token.issuer), not \(issuer)") }
        guard token.expiresAt.addingTimeInterval(Self.leeway) > now else { throw ReadTokenError("the token expired") }
        if let notBefore = token.notBefore, notBefore.addingTimeInterval(-Self.leeway) > now {
            throw ReadTokenError("the token is not valid yet")
        }
        guard !token.subject.isEmpty else { throw ReadTokenError("the token's sub is empty") }
        if token.role == .departmentStaff && (token.department ?? "").isEmpty {
            throw ReadTokenError("a department_staff token needs its department claim")
        }
        return token
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64URL(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}

/// Why a token was refused, or a secret cannot sign.
public struct ReadTokenError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
