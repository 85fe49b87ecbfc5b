import Foundation
import Hummingbird
import HummingbirdTesting
import Notify
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// A notify service on real components: the embedded broker, a throwaway database, the
/// local receivers, and a directory of people pointing at them.
struct NotifyHarness: Sendable {
    let broker: EmbeddedBroker
    let receivers: Receivers
    let configuration: NotifyConfiguration
    let publisher: EventPublisher
    let folder: URL

    static let advisorToken = "token-of-advisor-A1"
    static let managerToken = "token-of-manager-M1"

    init(name: String, templates: [String: String] = [:], tls: (certificate: String, key: String)? = nil,
         extraRecipients: [[String: Any]] = [], tweak: (inout NotifyConfiguration) -> Void = { _ in }) async throws {
        broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        for topic in [Topic.notificationRequested, .notificationDelivered, .deadLetter] { try broker.createTopic(topic.rawValue, partitions: 1) }
        receivers = try await Receivers(tls: tls)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let hooks = receivers.http + "/hook"
        // NIGHT's quiet hours are the two hours around now, in UTC.
        let minute = Int(Date().timeIntervalSince1970 / 60) % 1440
        func clock(_ minutes: Int) -> String {
            let value = (minutes % 1440 + 1440) % 1440
            return String(format: "%02d:%02d", value / 60, value % 60)
        }
        let everyone: [[String: Any]] = [
            ["id": "A1", "name": "王顾问", "language": "zh", "channels": ["inbox", "wecom"], "email": "a1@example.com",
             "mobile": "13800000001", "wecomKey": "robot-a", "inboxTokenSha256": sha256Hex(Self.advisorToken),
             "dingtalk": ["accessToken": "ding-a", "secret": Receivers.dingtalkSecret]],
            ["id": "M1", "name": "Li Manager", "language": "en", "email": "m1@example.com", "wecomKey": "robot-m",
             "inboxTokenSha256": sha256Hex(Self.managerToken)],
            ["id": "NIGHT", "language": "zh", "wecomKey": "robot-night", "email": "night@example.com",
             "quietHours": ["start": clock(minute - 60), "end": clock(minute + 60), "utcOffsetMinutes": 0]],
            ["id": "LONG", "language": "zh", "wecomKey": "robot-long"],
            ["id": "BUSY", "language": "zh", "wecomKey": "busy-once"],
            ["id": "BADSIGN", "language": "zh", "dingtalk": ["accessToken": "ding-bad", "secret": "SECnot-the-robots-secret"]],
            ["id": "CRM", "webhook": ["url": hooks + "/ok", "secrets": [Receivers.webhookSecret]]],
            ["id": "CRM-ROTATING", "webhook": ["url": hooks + "/old",
                                              "secrets": [Receivers.webhookSecret, Receivers.oldWebhookSecret]]],
            ["id": "SLOW", "webhook": ["url": hooks + "/slow?seconds=1.5", "secrets": [Receivers.webhookSecret]]],
            ["id": "DOWN", "webhook": ["url": hooks + "/fail500", "secrets": [Receivers.webhookSecret]]],
            ["id": "FLAKY", "webhook": ["url": hooks + "/flaky", "secrets": [Receivers.webhookSecret]]],
            ["id": "GONE", "webhook": ["url": hooks + "/gone", "secrets": [Receivers.webhookSecret]]],
            ["id": "PICKY", "webhook": ["url": hooks + "/bad", "secrets": [Receivers.webhookSecret]]],
        ] + extraRecipients
        let directory = folder.appendingPathComponent("directory.json")
        try JSONSerialization.data(withJSONObject: ["recipients": everyone]).write(to: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.path)  // notify refuses it otherwise
        var templatesDirectory: String?
        if !templates.isEmpty {
            let templatesFolder = folder.appendingPathComponent("templates")
            try FileManager.default.createDirectory(at: templatesFolder, withIntermediateDirectories: true)
            for (name, text) in templates { try Data(text.utf8).write(to: templatesFolder.appendingPathComponent(name)) }
            templatesDirectory = templatesFolder.path
        }
        var configuration = NotifyConfiguration(
            common: CommonSettings(kafkaBrokers: broker.bootstrap), store: try TestPostgres.database(name),
            group: "notify-\(UUID().uuidString)", directoryFile: directory.path, templatesDirectory: templatesDirectory,
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200)),
            requestTimeout: .seconds(2), wecomBaseURL: receivers.http, dingtalkBaseURL: receivers.http,
            digestInterval: .milliseconds(200),
            smtp: SMTPSettings(host: "127.0.0.1", port: receivers.smtpPort, from: "voc-notify@voc.example"))
        tweak(&configuration)
        self.configuration = configuration
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        publisher = EventPublisher(producer: producer, source: "/test/route")
    }

    func request(_ requests: NotificationRequested...) async throws {
        for request in requests { try await publisher.publish(request) }
    }

    /// Runs the service while `body` runs.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            try await body(client)
        }
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: folder)
    }
}
