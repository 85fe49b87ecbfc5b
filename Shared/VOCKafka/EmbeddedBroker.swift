import CRdKafka
import Foundation
import Logging

/// A Kafka-protocol cluster in this process: librdkafka's mock cluster, a real wire
/// protocol server on loopback that kcat and any Kafka client can reach. Records live in
/// memory and are gone when the broker stops.
///
/// Fault injection (brokers down, request errors) is what tests use to prove the
/// pipeline's back-pressure and recovery.
public final class EmbeddedBroker: @unchecked Sendable {
    // One handle owns the cluster; both are only touched through thread-safe C calls.
    private let owner: RDKafkaClient
    private let cluster: OpaquePointer
    /// `host:port,host:port,…` of the brokers.
    public let bootstrap: String
    public let brokerCount: Int

    /// Starts `brokers` brokers on ephemeral loopback ports.
    public init(brokers: Int = 3, logger: Logger) throws(KafkaError) {
        // The owning client never connects anywhere; it only hosts the cluster's thread.
        owner = try RDKafkaClient(kind: .producer, properties: ["bootstrap.servers": "", "log_level": "3"], logger: logger)
        guard let cluster = rd_kafka_mock_cluster_new(owner.handle, Int32(brokers)) else {
            throw KafkaError(code: .configuration, message: "could not start the embedded broker")
        }
        self.cluster = cluster
        self.bootstrap = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokers
        disableNagle()
    }

    /// The mock brokers write each response in pieces without `TCP_NODELAY`, so Nagle's
    /// algorithm meets the client's delayed ACK and every request that finds the
    /// connection idle waits about 40 ms. Accepted connections inherit the option from
    /// their listener, so setting it on the brokers' listening sockets fixes them all.
    private func disableNagle() {
        for descriptor in listeningSockets() {
            var on: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The file descriptors of the brokers' listening sockets in this process.
    func listeningSockets() -> [Int32] {
        let ports = Set(bootstrap.split(separator: ",").compactMap { $0.split(separator: ":").last.flatMap { UInt16($0) } })
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        return descriptors.filter { descriptor in
            var listening: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else { return false }
            var address = sockaddr_in()
            var addressLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &addressLength) }
            }
            return named == 0 && address.sin_family == sa_family_t(AF_INET) && ports.contains(UInt16(bigEndian: address.sin_port))
        }
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates a topic (replicated on up to three brokers).
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(min(3, brokerCount)))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
            throw KafkaError.from(err, context: "creating topic \(name)")
        }
    }

    /// Takes a broker (id 1…brokerCount) off the network: its connections drop and new
    /// ones are refused until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ id: Int) {
        rd_kafka_mock_broker_set_down(cluster, Int32(id))
    }

    public func setBrokerUp(_ id: Int) {
        rd_kafka_mock_broker_set_up(cluster, Int32(id))
        disableNagle()  // in case the broker opened a new listener
    }

    public func setAllBrokers(up: Bool) {
        for id in 1...brokerCount {
            up ? setBrokerUp(id) : setBrokerDown(id)
        }
    }

    /// Makes broker `id` the leader of a partition, as a controller does when the leader
    /// fails: clients get `NOT_LEADER_FOR_PARTITION` and must find the new one.
    public func moveLeader(topic: String, partition: Int, to id: Int) throws(KafkaError) {
        let err = rd_kafka_mock_partition_set_leader(cluster, topic, Int32(partition), Int32(id))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(err, context: "moving the leader of \(topic)[\(partition)] to broker \(id)")
        }
    }

    /// A Kafka protocol request type whose requests ``failNext(_:count:with:)`` can fail.
    public enum Request: Int16, Sendable, CaseIterable {
        case produce = 0
        case fetch = 1
        case offsetCommit = 8
    }

    /// A broker error answered instead of the real response.
    public enum InjectedError: Sendable {
        /// The broker drops the connection (the client sees a transport error).
        case disconnect
        case notLeaderForPartition
        case requestTimedOut
        case notCoordinator
        case rebalanceInProgress

        var code: rd_kafka_resp_err_t {
            switch self {
            case .disconnect: RD_KAFKA_RESP_ERR__TRANSPORT
            case .notLeaderForPartition: RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
            case .requestTimedOut: RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
            case .notCoordinator: RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            case .rebalanceInProgress: RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS
            }
        }
    }

    /// Fails the next `count` requests of a type, whichever client sends them, cycling
    /// through `errors`.
    public func failNext(_ request: Request, count: Int, with errors: [InjectedError]) {
        guard count > 0, !errors.isEmpty else { return }
        let codes = (0..<count).map { errors[$0 % errors.count].code }
        codes.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, request.rawValue, codes.count, $0.baseAddress) }
    }
}
