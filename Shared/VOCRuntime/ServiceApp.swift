import Hummingbird
import Logging
import ServiceLifecycle
import VOCStore

/// Assembles one service process the way every service runs: PostgreSQL's pool first,
/// its migrations before anything that needs them, the Kafka producer flushed at
/// shutdown, `/healthz` `/readyz` `/metrics`, and the stages started once the start
/// steps are done. Each service's `…App.build` fills one in; tests and `voc up` run the
/// application it builds.
public struct ServiceApp<Context: RequestContext> where Context.Source == ApplicationRequestContextSource {
    public let router: Router<Context>
    public let readiness = Readiness()
    public let logger: Logger
    private let name: String
    private let http: HTTPSettings
    private let started = StartupGate()
    private var services: [any Service] = []
    private var startSteps: [@Sendable () async throws -> Void] = []

    /// - Parameter name: the executable's name (`voc-analyze`), also the HTTP server's.
    public init(name: String, http: HTTPSettings, router: Router<Context>, logger: Logger) {
        self.name = name
        self.http = http
        self.router = router
        self.logger = logger
    }

    /// PostgreSQL: the pool runs before every other service, `migrations` are applied
    /// before the first start step, and `/readyz` asks the server.
    public mutating func use(store: Store, component: String, migrations: [Migration]) {
        services.insert(store, at: 0)
        readiness.add("postgres") { await store.isReachable() }
        startSteps.insert({ try await store.migrate(component: component, migrations) }, at: 0)
    }

    /// Kafka: the producer lives as long as the process and is flushed at shutdown, and
    /// `/readyz` asks whether the brokers answer.
    public mutating func use(publisher: EventPublisher) {
        let producer = publisher.producer
        services.append(ProducerService(producer: producer))
        readiness.add("kafka") { producer.brokersReachable && !producer.hasFatalError }
    }

    /// Runs `step` before the gated services start (after migrations); a step that throws
    /// stops the process.
    public mutating func beforeStart(_ step: @escaping @Sendable () async throws -> Void) {
        startSteps.append(step)
    }

    /// Runs `service` once the migrations and start steps are done (stages, sweepers).
    public mutating func run(_ service: any Service) {
        services.append(GatedService(after: started, run: service))
    }

    /// Runs `service` from the start, without waiting for the start steps.
    public mutating func runAtOnce(_ service: any Service) {
        services.append(service)
    }

    public func build() -> some ApplicationProtocol {
        OperationalRoutes.add(to: router, readiness: readiness)
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: name),
            services: services, logger: logger)
        let steps = startSteps
        let started = started
        app.beforeServerStarts {
            for step in steps { try await step() }
            started.open()
        }
        return app
    }
}

extension ServiceApp where Context == BasicRequestContext {
    public init(name: String, http: HTTPSettings, logger: Logger) {
        self.init(name: name, http: http, router: Router(), logger: logger)
    }
}
