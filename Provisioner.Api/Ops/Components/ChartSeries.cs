namespace Provisioner.Api.Ops.Components;

/// <summary>One series of a <see cref="BarChart"/>: a name for its legend, its colour, one value per label.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<decimal> Values);
