/** JMH benchmarks of facenorm and the helpers that build their inputs. */
package io.github.facenorm.benchmarks;
