/** Implementation details of facenorm-augment: not an API, may change without notice. */
package io.github.facenorm.augment.internal;
