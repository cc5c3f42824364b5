package io.github.facenorm.warp.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link SameDiffGraphVertex} with two fixes in the backward pass, otherwise M2.1's code:
 * the gradient function is built outside any workspace (M2.1 builds it inside the caller's, and
 * constants created there by ops' gradients are overwritten later: training then stalls or
 * diverges), and the input gradients are taken from what {@code calculateGradients} returns rather
 * than read back from the graph's variables.
 */
// "overrides": BaseGraphVertex declares setInputs(INDArray[]) for GraphVertex's varargs method
@SuppressWarnings("overrides")
class SplineWarpGraphVertex extends SameDiffGraphVertex {

  private static final long serialVersionUID = 1L;

  SplineWarpGraphVertex(
      SplineWarpVertex config,
      ComputationGraph graph,
      String name,
      int vertexIndex,
      INDArray paramsView,
      boolean initParams,
      DataType dataType) {
    super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    Gradient g = new DefaultGradient();
    List<String> inputNames = config.getVertexParams().getInputs();
    MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    try {
      if (sameDiff == null) {
        doInit();
      }
      // M2.1 builds the gradient function inside the caller's workspace, so constants that ops'
      // doDiff create (e.g. the scalar of x.mul(0.5)) are overwritten once that workspace is
      // reused: the gradients then come out scaled by garbage (~1e-309 here)
      if (!sameDiff.hasGradientFunction()) {
        sameDiff.createGradFunction(inputNames.toArray(new String[0]));
      }
    } finally {
      scope.close();
    }
    Map<Long, InferenceSession> sessions = sameDiff.getFunction("grad").getSessions();
    long thread = Thread.currentThread().getId();
    if (!sessions.containsKey(thread)) {
      sessions.put(thread, SameDiff.getInferenceFactory().create(sameDiff.getFunction("grad")));
    }
    String wsWorking = workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM);
    String wsActGrad = workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD);
    boolean actGradScopedOut = workspaceMgr.isScopedOut(ArrayType.ACTIVATION_GRAD);
    sessions
        .get(thread)
        .setMmgr(
            new DL4JSameDiffMemoryMgr(
                wsWorking,
                wsActGrad,
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD)));

    Map<String, INDArray> placeholders = new HashMap<>();
    for (int j = 0; j < inputs.length; j++) {
      String input = inputNames.get(j);
      placeholders.put(input, inputs[j]);
      placeholders.put(
          input + "_mask",
          maskArrays != null && maskArrays[j] != null
              ? maskArrays[j]
              : allOnesMask(dataType, inputs[j].shape()));
    }
    placeholders.put(fn.getGradPlaceholderName(), epsilon);
    List<String> required = new ArrayList<>(inputNames);
    required.addAll(paramTable.keySet());
    Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);
    for (String p : paramTable.keySet()) {
      INDArray view = gradTable.get(p);
      view.assign(grads.get(p));
      g.gradientForVariable().put(p, view);
    }
    INDArray[] dLdIns = new INDArray[inputNames.size()];
    for (int j = 0; j < dLdIns.length; j++) {
      INDArray d = grads.get(inputNames.get(j));
      dLdIns[j] =
          actGradScopedOut
              ? (d.isAttached() ? d.detach() : d)
              : workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, d);
    }
    sameDiff.clearPlaceholders(true);
    sameDiff.clearOpInputs();
    return new Pair<>(g, dLdIns);
  }

  /** DL4J's default mask for an input without one (as SameDiffGraphVertex.createMask). */
  private static INDArray allOnesMask(DataType type, long[] shape) {
    switch (shape.length) {
      case 2:
        return Nd4j.ones(type, shape[0], 1);
      case 3:
        return Nd4j.ones(type, shape[0], shape[2]);
      case 4:
        return Nd4j.ones(type, shape[0], 1, 1, 1);
      default:
        throw new IllegalArgumentException(
            "SplineWarpVertex: no default mask for an input of rank " + shape.length);
    }
  }
}
