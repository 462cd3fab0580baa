using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Provisioner.Api.OpenApi;

/// <summary>
/// <c>POST /api/instances</c> takes one of two bodies, told apart by their fields: the original design's and the NovitaAI
/// service's. The handler reads both through one record; the document says what a caller may really send, as a oneOf.
/// </summary>
internal static class CreateInstanceShapes
{
    public const string SeedSchema = "CreateInstanceSeedRequest";
    public const string NovitaSchema = "CreateInstanceNovitaRequest";
    private const string GeneratedSchema = "CreateInstanceRequest";
    private const string ConfigSchema = "InstanceConfigRequest";

    public static void AddTo(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        IOpenApiSchema config = schemas.ContainsKey(ConfigSchema) ? new OpenApiSchemaReference(ConfigSchema, document) : new OpenApiSchema { Type = JsonSchemaType.Object };
        schemas[SeedSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The seed API's shape: who the machine is for and its config, either exact (provider, instanceType, region) or by requirements.",
            Required = new HashSet<string> { "userId", "config" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["userId"] = Text("Who the machine is for; instances are listed by it."),
                ["taskId"] = Text("Optional: the caller's task."),
                ["purpose"] = Text("Optional: what it is for."),
                ["config"] = config,
                ["webhookUrl"] = Text("Where to send this instance's events instead of the tenant's default webhook."),
                ["webhookEvents"] = Events(),
            },
        };
        schemas[NovitaSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The NovitaAI service's shape: a NOVITA product by name, its GPU count, disk and template. The answer adds estimatedReadyAt.",
            Required = new HashSet<string> { "name", "productName", "templateId", "gpuNum", "rootfsSize" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = Text("The instance's name (kept as its userId)."),
                ["productName"] = Text("A NOVITA product of GET /api/instance-types?provider=NOVITA."),
                ["templateId"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.String, Description = "A positive integer, as a number or a numeric string." },
                ["gpuNum"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "GPUs, 1-8." },
                ["rootfsSize"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Root disk, GB." },
                ["region"] = Text("Optional: the product's first region when absent."),
                ["autoTerminateMinutes"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer, Description = "Optional: stopped this long after the request, 5-120; default 60. Ours, not NovitaAI's.",
                },
                ["webhookUrl"] = Text("Where to send this instance's events."),
                ["webhookEvents"] = Events(),
            },
        };
    }

    public static void Apply(OpenApiDocument document, OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content is not { } content || !content.TryGetValue("application/json", out var media))
        {
            throw new InvalidOperationException("CreateInstance has no JSON body in the document.");
        }

        media.Schema = new OpenApiSchema
        {
            Description = "One of two shapes; a body mixing their fields is refused (mixed_request_shapes).",
            OneOf = [new OpenApiSchemaReference(SeedSchema, document), new OpenApiSchemaReference(NovitaSchema, document)],
        };
        media.Examples = new Dictionary<string, IOpenApiExample>
        {
            ["exact"] = Example("An exact machine", """
                {"userId":"user-123","taskId":"task-456","purpose":"fine-tuning",
                 "config":{"provider":"AWS","instanceType":"g5.xlarge","region":"us-east-1","diskSizeGB":100,"autoTerminateMinutes":60,"tags":{"team":"ml"}}}
                """),
            ["requirements"] = Example("What it needs: the cheapest fitting offer", """
                {"userId":"user-123","config":{"autoTerminateMinutes":60,"requirements":{"gpu":"A100","gpuCount":1,"maxPricePerHour":4.5}}}
                """),
            ["novita"] = Example("The NovitaAI service's shape", """
                {"name":"trainer-1","productName":"RTX 4090 24GB","templateId":1,"gpuNum":1,"rootfsSize":50}
                """),
        };
        if (document.Components!.Schemas!.Remove(GeneratedSchema))
        {
            // Nothing else refers to the handler's merged record; the two shapes above replace it.
        }
    }

    private static OpenApiExample Example(string summary, string json) => new() { Summary = summary, Value = JsonNode.Parse(json) };

    private static OpenApiSchema Events() => new()
    {
        Type = JsonSchemaType.Array,
        Items = Text("instance.ready, instance.terminated, instance.failed, … or * for every transition."),
        Description = "Which events; default instance.ready, instance.terminated and instance.failed.",
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
