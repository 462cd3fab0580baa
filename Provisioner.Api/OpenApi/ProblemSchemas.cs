using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Provisioner.Api.Problems;

namespace Provisioner.Api.OpenApi;

/// <summary>The Problem schema, and each operation's problem answers with their codes (<c>x-problem-codes</c>) and examples.</summary>
internal static class ProblemSchemas
{
    public const string ProblemSchema = "Problem";
    public const string FieldErrorSchema = "FieldError";
    public const string ProblemMediaType = "application/problem+json";
    public const string CodesExtension = "x-problem-codes";

    public static void AddTo(OpenApiDocument document)
    {
        document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[FieldErrorSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "field", "code", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["field"] = Text("The field, query parameter or header at fault (config.instanceType, limit, Idempotency-Key)."),
                ["code"] = Text("This field's own code (required, too_long, instance_type_not_offered, …)."),
                ["message"] = Text("Why, for a person."),
            },
        };
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem. Branch on 'code', never on 'title' or 'detail'.",
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI naming the problem's kind."),
                ["title"] = Text("A short summary."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
                ["detail"] = Text("What went wrong with this request."),
                ["instance"] = Text("The request's path."),
                ["code"] = Text("The stable code; this operation's possible codes are listed per status in x-problem-codes."),
                ["field"] = Text("The first field at fault, when one is."),
                ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(FieldErrorSchema, document) },
                ["traceId"] = Text("The request's trace id, for an operator."),
            },
        };
    }

    /// <summary>Adds every problem <paramref name="operationId"/> can answer; fails loudly for an operation the table lacks.</summary>
    public static void Declare(OpenApiDocument document, OpenApiOperation operation, string operationId, bool needsKey, bool hasBody)
    {
        if (!ProblemAnswers.ByOperation.TryGetValue(operationId, out var own))
        {
            throw new InvalidOperationException($"Operation {operationId} has no entry in ProblemAnswers: list the problems it can answer.");
        }

        var answers = new SortedDictionary<int, List<string>>();
        foreach (var table in new[] { own, ProblemAnswers.Everywhere, needsKey ? ProblemAnswers.Authenticated : null, hasBody ? ProblemAnswers.WithBody : null })
        {
            foreach (var (status, codes) in table ?? new Dictionary<int, string[]>())
            {
                var list = answers.TryGetValue(status, out var existing) ? existing : answers[status] = [];
                list.AddRange(codes.Except(list));
            }
        }

        operation.Responses ??= [];
        foreach (var (status, codes) in answers)
        {
            var media = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(ProblemSchema, document),
                Examples = codes.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
                {
                    Summary = code,
                    Value = Example(status, code),
                }),
            };
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"{ProblemCodeTitles.Of(status)} Codes: {string.Join(", ", codes)}.",
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemMediaType] = media },
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    [CodesExtension] = new JsonNodeExtension(new JsonArray([.. codes.Select(c => (JsonNode)JsonValue.Create(c))])),
                },
            };
        }
    }

    private static JsonObject Example(int status, string code) => new()
    {
        ["type"] = ApiProblems.TypeBase + code.Replace('_', '-'),
        ["title"] = code.Replace('_', ' '),
        ["status"] = status,
        ["code"] = code,
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
