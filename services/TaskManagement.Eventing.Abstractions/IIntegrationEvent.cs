namespace TaskManagement.Eventing;

/// <summary>
/// The <c>data</c> record of one event type. The type names its CloudEvent <c>type</c> and the topic it is
/// published on, so staging an event and dispatching a received one need no string tables. Implement the members
/// explicitly (<c>static string IIntegrationEvent.EventType => …</c>): they stay off the record's public surface,
/// which is its <c>data</c> schema.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>CloudEvent <c>type</c>, e.g. <c>com.taskmanagement.task.created.v1</c>.</summary>
    static abstract string EventType { get; }

    /// <summary>The pub/sub topic (RabbitMQ fanout exchange) the event goes to.</summary>
    static abstract string Topic { get; }
}
