namespace Recurrent.Tasks; internal static class Placeholder {}
