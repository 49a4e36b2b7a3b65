namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>A drawn lane model output: slot map and confidence at model size, lines three pixels wide.</summary>
public sealed class LaneMapFixture(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Slots { get; } = new byte[width * height];
    public byte[] Confidence { get; } = new byte[width * height];

    /// <summary>
    /// Draws a straight line of <paramref name="slot"/> from (x0, y0) to (x1, y1), one run of three pixels per
    /// row centred on the rounded line column, so the row's mean column is exactly <see cref="CentreColumn"/>.
    /// </summary>
    public void DrawLine(byte slot, int x0, int y0, int x1, int y1, byte confidence = 200)
    {
        for (int y = y0; y <= y1; y++)
        {
            int xc = CentreColumn(x0, y0, x1, y1, y);
            for (int x = xc - 1; x <= xc + 1; x++)
            {
                Slots[y * Width + x] = slot;
                Confidence[y * Width + x] = confidence;
            }
        }
    }

    /// <summary>The column the line drawn by <see cref="DrawLine"/> is centred on in row <paramref name="y"/>.</summary>
    public static int CentreColumn(int x0, int y0, int x1, int y1, int y) => (int)Math.Round(LineX(x0, y0, x1, y1, y));

    /// <summary>The exact (unrounded) column of the line in row <paramref name="y"/>.</summary>
    public static double LineX(int x0, int y0, int x1, int y1, double y) => y1 == y0 ? x0 : x0 + (x1 - x0) * (y - y0) / (double)(y1 - y0);
}
