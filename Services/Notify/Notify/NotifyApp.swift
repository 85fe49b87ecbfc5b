import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds the notify service: the stage that takes requests in, the dispatcher that
/// sends them lane by lane, the robot digest, and the in-app inbox API.
public enum NotifyApp {
    public static let source = "/voc/notify"
    public static let component = "notify"

    /// The notify schema changes, shipped as resources of this module.
    public static func migrations() throws -> [Migration] {
        try Migration.bundled(in: .module, component: component)
    }

    /// - Throws: ``KafkaError`` when a Kafka client cannot be configured; ``NotifyError``
    ///   when the department directory does not load.
    public static func build(configuration: NotifyConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let store = Store(configuration: configuration.store, logger: logger)
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-notify", source: source, logger: logger)
        var app = ServiceApp(name: "voc-notify", http: configuration.http, logger: logger)
        app.use(store: store, component: component, migrations: try migrations())
        app.use(publisher: publisher)

        let recipients = RecipientRepository(store: store)
        if let path = configuration.directoryFile {
            app.beforeStart {
                let file = try DirectoryFile.load(path: path)
                try await recipients.load(file)
                logger.info("directory loaded", metadata: [NotifyLogKey.directory: "\(path)", NotifyLogKey.recipients: "\(file.recipients.count)"])
            }
        }
        let inbox = InboxRepository(store: store)
        InboxController<BasicRequestContext>(inbox: inbox, recipients: recipients).addRoutes(to: app.router)
        RecipientsController<BasicRequestContext>(recipients: recipients, adminToken: configuration.adminToken).addRoutes(to: app.router)

        let http = OutboundHTTP(timeout: configuration.requestTimeout)
        let robots = RobotClient(http: http, wecomBaseURL: configuration.wecomBaseURL, dingtalkBaseURL: configuration.dingtalkBaseURL)
        let limiter = RobotLimiter(perMinute: configuration.robotPerMinute, window: configuration.robotWindow)
        let ledger = DeliveryLedger(store: store)
        let digest = RobotDigest(store: store, ledger: ledger)
        let deliverer = Deliverer(recipients: recipients, inbox: inbox, robots: robots, limiter: limiter, http: http,
                                  smtp: SMTPClient(settings: configuration.smtp, timeout: configuration.requestTimeout * 3))
        let jobs = JobQueue(store: store, lease: configuration.dispatch.lease)
        let dispatcher = Dispatcher(
            lanes: LaneRunner(jobs: jobs, ledger: ledger, recipients: recipients, deliverer: deliverer, digest: digest,
                              publisher: publisher, retry: configuration.retry, settings: configuration.dispatch, logger: logger),
            jobs: jobs, settings: configuration.dispatch, logger: logger)
        let roster = try configuration.departmentDirectoryPath.map { try DepartmentRoster.watched(path: $0, logger: logger) }
        let stage = NotifyStage(
            batch: NotifyBatch(store: store, ledger: ledger, jobs: jobs, inbox: inbox, smtp: configuration.smtp),
            recipients: recipients, templates: TemplateBook(overrideDirectory: configuration.templatesDirectory),
            roster: roster, publisher: publisher, committed: dispatcher.wake)
        // Listed before the stage so that it closes after the stage stopped sending.
        app.run(HTTPClientService(http: http))
        app.run(try StageLoop(
            settings: StageSettings(name: NotifyStage.stageName, topics: [Topic.notificationRequested.rawValue],
                                    group: configuration.group, tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher, handler: stage, logger: logger))
        app.run(dispatcher)
        app.run(DigestFlusher(digest: digest, recipients: recipients, robots: robots, limiter: limiter, publisher: publisher,
                              interval: configuration.digestInterval, logger: logger))
        return app.build()
    }
}

/// Closes the outbound HTTP client's connections at shutdown.
struct HTTPClientService: Service {
    let http: OutboundHTTP

    func run() async throws {
        try? await gracefulShutdown()
        await http.shutdown()
    }
}
