import Hummingbird
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema

/// Builds the ingest service: the HTTP API, the raw-topic stage and the producer they share.
public enum IngestApp {
    public static let source = "/voc/ingest"

    /// - Throws: ``KafkaError`` when the producer or consumer cannot be configured.
    public static func build(configuration: IngestConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let publisher = try EventPublisher(
            common: configuration.common, clientID: "voc-ingest", source: source,
            properties: ["message.timeout.ms": "\(configuration.deliveryTimeoutMs)"], logger: logger)
        let producer = publisher.producer

        let readiness = Readiness()
        readiness.add("kafka") { producer.brokersReachable && !producer.hasFatalError }

        let router = Router()
        router.add(middleware: LogRequestsMiddleware(.debug))
        OperationalRoutes.add(to: router, readiness: readiness)
        InteractionController<BasicRequestContext>(publisher: publisher, configuration: configuration).addRoutes(to: router)

        var services: [any Service] = [ProducerService(producer: producer)]
        if configuration.consumeRawTopic {
            let settings = StageSettings(name: "ingest-gateway-raw", topics: [Topic.gatewayRaw.rawValue], group: configuration.group,
                                         tuning: configuration.common.stage)
            let handler = GatewayRawHandler(publisher: publisher, limits: configuration.limits)
            services.append(try StageLoop(settings: settings, common: configuration.common, publisher: publisher,
                                          handler: handler, logger: logger))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "voc-ingest"),
            services: services,
            logger: logger)
    }
}
