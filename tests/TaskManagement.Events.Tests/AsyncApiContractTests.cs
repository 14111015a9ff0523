using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace TaskManagement.Events.Tests;

/// <summary>
/// docs/asyncapi.yaml and docs/events.md describe exactly the events TaskManagement.Contracts defines: every
/// type, its topic, source and data schema (names, JSON types, nullability), and examples that deserialize.
/// </summary>
public sealed class AsyncApiContractTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private readonly Dictionary<object, object> _doc = (Dictionary<object, object>)new DeserializerBuilder().Build()
        .Deserialize<object>(File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "docs", "asyncapi.yaml")))!;

    public static TheoryData<string> AllEventTypes()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name != nameof(EventTypes.Prefix)))
        {
            data.Add((string)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Fact]
    public void Document_is_asyncapi_3_with_one_durable_fanout_exchange_per_topic()
    {
        Assert.Equal("3.0.0", _doc["asyncapi"]);
        Assert.Equal("application/cloudevents+json", _doc["defaultContentType"]);
        foreach (var topic in new[] { Topics.Users, Topics.Tasks })
        {
            var channel = Map(Map(_doc["channels"])[topic]);
            Assert.Equal(topic, channel["address"]);
            var exchange = Map(Map(Map(channel["bindings"])["amqp"])["exchange"]);
            Assert.Equal(topic, exchange["name"]);
            Assert.Equal("fanout", exchange["type"]);
            Assert.Equal("true", exchange["durable"]);
            Assert.Equal("false", exchange["autoDelete"]);
        }

        var queue = Map(Map(Map(Map(Map(_doc["channels"])["tasksUsersQueue"])["bindings"])["amqp"])["queue"]);
        Assert.Equal("tasks-users", queue["name"]);
        Assert.Equal("true", queue["durable"]);
        Assert.Equal("false", queue["autoDelete"]);
    }

    [Theory]
    [MemberData(nameof(AllEventTypes))]
    public void Every_event_type_is_documented_with_its_topic_source_and_data_schema(string eventType)
    {
        var (key, message) = Map(Map(_doc["components"])["messages"]).Single(m => (string)Map(m.Value)["name"] == eventType);
        var topic = EventTypes.TopicOf(eventType);
        Assert.Contains(Map(Map(Map(_doc["channels"])[topic])["messages"]).Keys, k => (string)k == (string)key);

        var envelope = Map(List(Map(Map(message)["payload"])["allOf"])[1]);
        var properties = Map(envelope["properties"]);
        Assert.Equal(eventType, Map(properties["type"])["const"]);
        Assert.Equal(SourceOf(eventType), Map(properties["source"])["const"]);

        var dataType = DataTypeOf(eventType);
        var schemaName = ((string)Map(properties["data"])["$ref"]).Split('/')[^1];
        Assert.Equal(dataType.Name, schemaName);
        AssertSchemaMatches(dataType);

        // Each example is a complete event whose data deserializes into the contract record.
        foreach (var example in List(Map(message)["examples"]).Select(e => Map(Map(e)["payload"])))
        {
            Assert.Equal(eventType, example["type"]);
            Assert.Equal(SourceOf(eventType), example["source"]);
            var json = JsonSerializer.Serialize(ToPlain(example["data"]));
            Assert.NotNull(JsonSerializer.Deserialize(json, dataType, Web));
            Assert.Equal(JsonNames(dataType), JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToHashSet());
        }
    }

    [Theory]
    [MemberData(nameof(AllEventTypes))]
    public void Events_md_documents_every_type(string eventType)
    {
        var text = File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "docs", "events.md"));
        Assert.Contains(eventType, text, StringComparison.Ordinal);
        foreach (var name in JsonNames(DataTypeOf(eventType)))
        {
            Assert.Contains($"`{name}`", text, StringComparison.Ordinal);
        }
    }

    private void AssertSchemaMatches(Type record)
    {
        var schema = Map(Map(Map(_doc["components"])["schemas"])[record.Name]);
        var properties = Map(schema["properties"]);
        var names = JsonNames(record);
        Assert.Equal(names, properties.Keys.Cast<string>().ToHashSet());
        Assert.Equal(names, List(schema["required"]).Cast<string>().ToHashSet());
        var nullability = new NullabilityInfoContext();
        foreach (var property in record.GetProperties())
        {
            var spec = Map(properties[JsonNamingPolicy.CamelCase.ConvertName(property.Name)]);
            if (spec.TryGetValue("$ref", out var reference))
            {
                Assert.Equal(property.PropertyType.Name, ((string)reference).Split('/')[^1]);
                AssertSchemaMatches(property.PropertyType);
                continue;
            }

            var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
            var types = spec["type"] is List<object> list ? list.Cast<string>().ToList() : [(string)spec["type"]];
            Assert.Equal(nullable, types.Contains("null"));
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var (jsonType, format) = type switch
            {
                _ when type == typeof(Guid) => ("string", "uuid"),
                _ when type == typeof(string) => ("string", null),
                _ when type == typeof(DateTimeOffset) => ("string", "date-time"),
                _ when type == typeof(DateOnly) => ("string", "date"),
                _ when type == typeof(int) => ("integer", null),
                _ when typeof(IEnumerable<string>).IsAssignableFrom(type) => ("array", (string?)null),
                _ => throw new InvalidOperationException($"No JSON schema mapping for {type} in the test."),
            };
            Assert.Contains(jsonType, types);
            Assert.Equal(format, spec.TryGetValue("format", out var f) ? (string)f : null);
        }
    }

    /// <summary><c>com.taskmanagement.task.created.v1</c> → <c>TaskCreated</c>, <c>user.credentials_changed</c> → <c>UserCredentialsChanged</c>.</summary>
    private static Type DataTypeOf(string eventType)
    {
        var name = string.Concat(eventType[EventTypes.Prefix.Length..eventType.LastIndexOf('.')].Split('.', '_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return typeof(EventTypes).Assembly.GetType($"TaskManagement.Contracts.{name}", throwOnError: true)!;
    }

    private static string SourceOf(string eventType) => EventTypes.TopicOf(eventType) == Topics.Users ? EventSources.Auth : EventSources.Tasks;

    private static HashSet<string> JsonNames(Type record) =>
        record.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();

    private static Dictionary<object, object> Map(object value) => (Dictionary<object, object>)value;

    private static List<object> List(object value) => (List<object>)value;

    /// <summary>YAML graph → plain dictionaries/lists JSON can serialize.</summary>
    private static object? ToPlain(object? value) => value switch
    {
        Dictionary<object, object> map => map.ToDictionary(kv => (string)kv.Key, kv => ToPlain(kv.Value)),
        List<object> list => list.Select(ToPlain).ToList(),
        _ => value,
    };
}
