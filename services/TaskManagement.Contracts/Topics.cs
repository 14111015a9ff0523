namespace TaskManagement.Contracts;

/// <summary>
/// Pub/sub topics. Each topic is one durable fanout exchange of the same name on RabbitMQ
/// (the layout Dapr's pubsub.rabbitmq component uses), so Dapr and plain AMQP subscribers both bind.
/// </summary>
public static class Topics
{
    public const string Users = "users";
    public const string Tasks = "tasks";
}
