import VOCKafka

extension CommonSettings {
    /// The typed producer settings of a service's client: the pipeline's defaults, the
    /// `kafka.*` keys, and `kafka.properties` passed through (checked when it starts).
    public func producerConfiguration(clientID: String) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: kafkaBrokers, clientID: clientID)
        configuration.linger = kafkaLinger
        configuration.statisticsInterval = kafkaStatisticsInterval
        configuration.security = kafkaSecurity
        configuration.properties = kafkaProperties
        return configuration
    }

    /// The typed consumer settings of a group member, as ``producerConfiguration(clientID:)``.
    public func consumerConfiguration(group: String, clientID: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: kafkaBrokers, groupID: group, clientID: clientID)
        configuration.fetchWaitMax = kafkaFetchWaitMax
        configuration.statisticsInterval = kafkaStatisticsInterval
        configuration.security = kafkaSecurity
        configuration.properties = kafkaProperties
        return configuration
    }

    /// Checks every Kafka setting with librdkafka, so a misspelled `kafka.properties`
    /// entry stops the process before anything starts.
    /// - Throws: ``KafkaError`` `.configuration` naming the property and librdkafka's reason.
    public func validateKafka() throws(KafkaError) {
        try producerConfiguration(clientID: "voc").validate()
        try consumerConfiguration(group: "voc", clientID: "voc").validate()
    }
}
