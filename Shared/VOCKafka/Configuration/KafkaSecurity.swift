/// How clients authenticate to the brokers and protect the connection: librdkafka's
/// `security.protocol`, `sasl.*` and `ssl.ca.location`, passed through as typed values.
public struct KafkaSecurity: Sendable, Hashable {
    /// librdkafka's `security.protocol`.
    public enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    /// librdkafka's `sasl.mechanism`.
    public enum SASLMechanism: String, Sendable, Hashable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    public var securityProtocol: SecurityProtocol
    public var saslMechanism: SASLMechanism?
    public var saslUsername: String?
    public var saslPassword: String?
    /// A PEM file (or directory) of the CA certificates that sign the brokers' certificates.
    public var sslCALocation: String?

    /// No authentication, no encryption: the embedded broker and local development.
    public static let plaintext = KafkaSecurity()

    public init(securityProtocol: SecurityProtocol = .plaintext, saslMechanism: SASLMechanism? = nil,
                saslUsername: String? = nil, saslPassword: String? = nil, sslCALocation: String? = nil) {
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.sslCALocation = sslCALocation
    }

    /// The librdkafka properties of these settings; unset ones keep librdkafka's defaults.
    var properties: [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        if let saslMechanism { properties["sasl.mechanism"] = saslMechanism.rawValue }
        if let saslUsername { properties["sasl.username"] = saslUsername }
        if let saslPassword { properties["sasl.password"] = saslPassword }
        if let sslCALocation { properties["ssl.ca.location"] = sslCALocation }
        return properties
    }
}
